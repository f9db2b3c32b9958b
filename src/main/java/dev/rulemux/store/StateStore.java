package dev.rulemux.store;

import dev.rulemux.board.Journal;
import dev.rulemux.board.ResilientBoard;
import dev.rulemux.board.TaskBoard;
import dev.rulemux.board.TaskRecord;
import dev.rulemux.config.TaskSpec;
import dev.rulemux.domain.Report;
import dev.rulemux.domain.ReportOutcome;
import dev.rulemux.domain.Task;
import dev.rulemux.domain.TaskState;
import dev.rulemux.domain.Verification;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The state database ({@code .rulemux/state.db}) of a config directory as one task board and journal, shared by every
 * rulemux process working on it: the {@link Database} and its stores, {@link TaskStore} (the tasks),
 * {@link InboxStore} (reports, verification results), {@link JournalStore} (events) and {@link AgentStore} (the
 * agents' rows), each change made by one of them in one transaction. The times a change records come from the
 * {@link Clock} it is opened with.
 */
public final class StateStore implements TaskBoard, Journal {

    public static final String FILE = ".rulemux/state.db";
    static final int BUSY_TIMEOUT_MS = Database.BUSY_TIMEOUT_MS;

    private final Database db;
    private final Clock clock;
    private final AgentStore agents;
    private final JournalStore journal;
    private final TaskStore tasks;
    private final InboxStore inbox;
    private final BranchStore branches;

    private StateStore(Database db, Clock clock) {
        this.db = db;
        this.clock = clock;
        this.agents = new AgentStore(db);
        this.journal = new JournalStore(db, agents, clock);
        this.tasks = new TaskStore(db, journal, agents, clock);
        this.inbox = new InboxStore(db, tasks, clock);
        this.branches = new BranchStore(db, clock);
    }

    /** The state database of {@code configDir}, made (with its folder) when missing; its changes timed by {@code clock}. */
    public static StateStore open(Path configDir, Clock clock) {
        return openFile(configDir.resolve(FILE), clock);
    }

    /** As {@link #open(Path, Clock)} on the system's clock (tests, tools). */
    public static StateStore open(Path configDir) {
        return open(configDir, Clock.systemUTC());
    }

    /**
     * Opens {@code file}, making it when missing; migrates an older schema. A file that is not a SQLite
     * database, a database that is not rulemux's, a newer schema or a corrupt file is refused, untouched.
     */
    public static StateStore openFile(Path file, Clock clock) {
        return new StateStore(Database.open(file), clock);
    }

    /** As {@link #openFile(Path, Clock)} on the system's clock (tests, tools). */
    public static StateStore openFile(Path file) {
        return openFile(file, Clock.systemUTC());
    }

    /**
     * The state database of {@code configDir}, opened read-only (for the commands that only show it: status, serve,
     * watch): nothing is made, migrated or written (so no time is ever recorded). Empty when there is no state yet.
     *
     * @throws StoreException when the file is not rulemux's state, is corrupt, or is of an older schema (which a
     *                        writing command, such as rulemux run, migrates first) or a newer one
     */
    public static Optional<StateStore> openReadOnly(Path configDir) {
        return Database.openReadOnly(configDir.resolve(FILE)).map(db -> new StateStore(db, Clock.systemUTC()));
    }

    public Path file() {
        return db.file();
    }

    /** The database itself (its schema version, its busy timeout). */
    public Database database() {
        return db;
    }

    public TaskStore taskStore() {
        return tasks;
    }

    public InboxStore inbox() {
        return inbox;
    }

    public JournalStore journal() {
        return journal;
    }

    public AgentStore agentStore() {
        return agents;
    }

    @Override
    public BranchStore branches() {
        return branches;
    }

    /**
     * How long a change waits for another process's write lock before it fails with a {@link StoreException#isTransient
     * transient} error ({@link #BUSY_TIMEOUT_MS} unless set): the run loop waits briefly and keeps its changes for later
     * rather than stall a tick.
     */
    public void busyTimeout(Duration timeout) {
        db.busyTimeout(timeout);
    }

    /**
     * This store as the run loop uses it: a change waits at most {@link ResilientBoard#BUSY_TIMEOUT} for another
     * process's lock, and transient errors (busy, locked, disk full, I/O) are outlasted, not fatal.
     */
    public ResilientBoard resilient() {
        busyTimeout(ResilientBoard.BUSY_TIMEOUT);
        return new ResilientBoard(this, this, StoreException::isTransient, clock);
    }

    /** The schema version of the open database. */
    public int schemaVersion() {
        return db.schemaVersion();
    }

    // ------------------------------------------------------------------------------------------ tasks

    @Override
    public List<Task> tasks(long now) {
        return tasks.tasks(now);
    }

    @Override
    public List<Task> tasks() {
        return tasks.tasks(clock.millis());
    }

    @Override
    public List<TaskRecord> records() {
        return tasks.records();
    }

    @Override
    public Optional<TaskRecord> record(String id) {
        return tasks.record(id);
    }

    @Override
    public void declare(List<TaskSpec> specs) {
        tasks.declare(specs);
    }

    @Override
    public boolean add(TaskSpec spec, String source) {
        return tasks.add(spec, source);
    }

    /** As {@link TaskStore#addAll}: all of {@code specs}, or none when an id is taken (the ids taken are returned). */
    public List<String> addAll(List<TaskSpec> specs, String source) {
        return tasks.addAll(specs, source);
    }

    @Override
    public boolean move(String task, TaskState to, String agent, String reason) {
        return tasks.move(task, to, agent, reason);
    }

    @Override
    public boolean handTo(String task, String agent, String reason) {
        return tasks.handTo(task, agent, reason);
    }

    /** The journal is in the same database: a move and its event are one transaction. */
    @Override
    public boolean journalsMoves() {
        return true;
    }

    @Override
    public boolean move(String task, TaskState to, String agent, String reason, Entry entry) {
        return journaled(task, entry, () -> tasks.move(task, to, agent, reason));
    }

    @Override
    public boolean handTo(String task, String agent, String reason, Entry entry) {
        return journaled(task, entry, () -> tasks.handTo(task, agent, reason));
    }

    private boolean journaled(String task, Entry entry, java.util.function.BooleanSupplier move) {
        return db.write(() -> {
            boolean moved = move.getAsBoolean();
            if (moved) {
                journal.insert(Kind.TRANSITION, entry.agent(), task, entry.text(), clock.millis());
            }
            return moved;
        });
    }

    /** As {@link TaskBoard#retry}; the task's verification results go too (see {@link TaskStore#retry}). */
    @Override
    public boolean retry(String task, String reason) {
        return tasks.retry(task, reason);
    }

    @Override
    public boolean delivered(String task, String agent, long at, String finishedLineBefore) {
        return tasks.delivered(task, agent, at, finishedLineBefore);
    }

    @Override
    public void enterPressed(String task, long at) {
        tasks.enterPressed(task, at);
    }

    @Override
    public void seenWorking(String task) {
        tasks.seenWorking(task);
    }

    // ------------------------------------------------------------------------------------------ inbox

    @Override
    public void report(String task, ReportOutcome outcome, String note, String agent, long at) {
        inbox.report(task, outcome, note, agent, at);
    }

    @Override
    public List<Report> reports() {
        return inbox.reports();
    }

    @Override
    public void consumed(long seq) {
        inbox.consumed(seq);
    }

    /** The reports the loop has not acted on yet, oldest first, with their times. */
    public List<InboxStore.ReportRow> openReports() {
        return inbox.openReports();
    }

    @Override
    public void verified(Verification result, long at) {
        inbox.verified(result, at);
    }

    @Override
    public List<Verification> verifications() {
        return inbox.verifications();
    }

    // ------------------------------------------------------------------------------------------ journal

    @Override
    public void event(Kind kind, String agent, String task, String detail) {
        journal.event(kind, agent, task, detail);
    }

    @Override
    public int pruneEvents(long beforeMs) {
        return journal.pruneEvents(beforeMs);
    }

    @Override
    public List<Event> events(long afterSeq, int limit) {
        return journal.events(afterSeq, limit);
    }

    /** As {@link JournalStore#lastEvents(int, String, Set)}. */
    public List<Event> lastEvents(int count, String task, Set<Kind> kinds) {
        return journal.lastEvents(count, task, kinds);
    }

    /** The newest {@code count} events, oldest first. */
    public List<Event> lastEvents(int count) {
        return journal.lastEvents(count);
    }

    @Override
    public void agent(AgentState state) {
        agents.agent(state);
    }

    @Override
    public List<AgentState> agents() {
        return agents.agents();
    }

    /** Each agent's last known state and its counters, for {@code rulemux status}. */
    public List<AgentStore.AgentRow> agentRows() {
        return agents.agentRows();
    }

    /** Counts a restart of {@code agent} (crash recovery). */
    public void restarted(String agent) {
        agents.restarted(agent);
    }

    // ------------------------------------------------------------------------------------------ all of it

    /**
     * A cheap summary of everything that can change in the database: two equal marks mean nothing changed in
     * between (nothing {@link dev.rulemux.store.StatusDocument} shows, at least).
     *
     * @param lastEvent     the newest event's seq
     * @param tasks         how many tasks there are
     * @param tasksUpdated  the newest change of a task (epoch ms)
     * @param lastReport    the newest report's seq
     * @param openReports   how many reports wait for the loop
     * @param agentsUpdated the newest change of an agent's row (epoch ms)
     */
    public record Mark(long lastEvent, long tasks, long tasksUpdated, long lastReport, long openReports, long agentsUpdated) {
    }

    public Mark mark() {
        return db.read(() -> {
            try (Statement s = db.statement(); ResultSet r = s.executeQuery("SELECT "
                    + "(SELECT coalesce(max(seq), 0) FROM events), (SELECT count(*) FROM tasks), "
                    + "(SELECT coalesce(max(updated_at), 0) FROM tasks), (SELECT coalesce(max(seq), 0) FROM reports), "
                    + "(SELECT count(*) FROM reports WHERE consumed_at IS NULL), (SELECT coalesce(max(updated_at), 0) FROM agents)")) {
                r.next();
                return new Mark(r.getLong(1), r.getLong(2), r.getLong(3), r.getLong(4), r.getLong(5), r.getLong(6));
            }
        });
    }

    @Override
    public void close() {
        db.close();
    }
}
