package dev.rulemux.store;

import static dev.rulemux.store.JsonLists.json;
import static dev.rulemux.store.JsonLists.list;

import dev.rulemux.board.Journal.Kind;
import dev.rulemux.board.TaskRecord;
import dev.rulemux.board.TaskRecords;
import dev.rulemux.config.TaskSpec;
import dev.rulemux.domain.IsolationMode;
import dev.rulemux.domain.Priority;
import dev.rulemux.domain.Task;
import dev.rulemux.domain.TaskState;
import dev.rulemux.domain.Tier;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * The {@code tasks} table: each task's declaration and runtime state, changed only as {@link TaskRecords} says. Each
 * change is one transaction, with its journal event and the agents' counters it moves. {@link #records()} reads only
 * what changed since its last read.
 */
public final class TaskStore {

    private static final String COLUMNS = "id, seq, title, complexity, priority, prompt, prompt_file, depends_on, verify, files, "
            + "max_attempts, line, source, state, agent, last_agent, prefer_agent, attempts, created_at, updated_at, "
            + "pending_since, started_at, finished_at, note, last_output, d_agent, d_at, d_presses, d_keys_at, "
            + "d_seen_working, d_finished_line, isolation";

    /** A task row's next revision: above every other (the write lock is held, so no other writer takes it). */
    private static final String NEXT_REV = "(SELECT coalesce(max(rev), 0) + 1 FROM tasks)";

    private final Database db;
    private final JournalStore journal;
    private final AgentStore agents;
    private final Clock clock;
    /** Task rows written through this store (inserted, updated, or a transaction that wrote them undone). */
    private long tasksWritten;
    /** The task rows last read, and the store's state when they were: given again while nothing changed. */
    private List<TaskRecord> recordsRead;
    private Map<String, TaskRecord> byId;
    private long maxRev;
    private long maxSeq;
    private long recordsVersion;
    private long recordsWritten;

    /**
     * @param journal where each declaration is journaled, in the same transaction
     * @param agents  whose counters a delivery, an Enter and a completion move, in the same transaction
     * @param clock   the time of each change
     */
    TaskStore(Database db, JournalStore journal, AgentStore agents, Clock clock) {
        this.db = db;
        this.journal = journal;
        this.agents = agents;
        this.clock = clock;
        db.onRollback(() -> {
            tasksWritten++; // what was read inside the transaction is undone: read it all again
            byId = null;
        });
    }

    public List<Task> tasks(long now) {
        return TaskRecords.facts(records(), now);
    }

    public List<TaskRecord> records() {
        return db.read(() -> {
            // Read only what may have changed: nothing while no task row was written through this store and no other
            // connection committed (a `task add`, a `report`); else the rows whose revision is above the last one
            // read. Reading all 10,000 rows of a big queue costs ~100 ms; a tick asks twice.
            long version = db.dataVersion();
            if (recordsRead != null && version == recordsVersion && tasksWritten == recordsWritten) {
                return recordsRead;
            }
            long written = tasksWritten;
            if (byId == null || !readMoved()) {
                readAll();
            }
            recordsRead = List.copyOf(byId.values());
            recordsVersion = version;
            recordsWritten = written;
            return recordsRead;
        });
    }

    private void readAll() throws SQLException {
        byId = new LinkedHashMap<>();
        maxRev = 0;
        maxSeq = -1;
        try (Statement s = db.statement(); ResultSet r = s.executeQuery("SELECT * FROM tasks ORDER BY seq")) {
            while (r.next()) {
                TaskRecord t = read(r);
                byId.put(t.id(), t);
                maxSeq = t.order();
                maxRev = Math.max(maxRev, r.getLong("rev"));
            }
        }
    }

    /** Takes the rows written since the last read into {@link #byId}; false when they cannot be (a new row out of order). */
    private boolean readMoved() throws SQLException {
        try (PreparedStatement p = db.prepare("SELECT * FROM tasks WHERE rev > ? ORDER BY seq")) {
            p.setLong(1, maxRev);
            try (ResultSet r = p.executeQuery()) {
                while (r.next()) {
                    TaskRecord t = read(r);
                    boolean known = byId.containsKey(t.id());
                    if (!known && t.order() <= maxSeq) {
                        return false;
                    }
                    byId.put(t.id(), t);
                    if (!known) {
                        maxSeq = t.order();
                    }
                    maxRev = Math.max(maxRev, r.getLong("rev"));
                }
            }
        }
        return true;
    }

    public Optional<TaskRecord> record(String id) {
        return db.read(() -> find(id));
    }

    /** The task {@code id} as stored now; inside a read or a change. */
    Optional<TaskRecord> find(String id) throws SQLException {
        try (PreparedStatement p = db.prepare("SELECT * FROM tasks WHERE id = ?")) {
            p.setString(1, id);
            try (ResultSet r = p.executeQuery()) {
                return r.next() ? Optional.of(read(r)) : Optional.empty();
            }
        }
    }

    /** As {@link dev.rulemux.board.TaskBoard#declare}. */
    public void declare(List<TaskSpec> specs) {
        long now = clock.millis();
        db.write(() -> {
            int next = nextSeq();
            for (TaskSpec spec : specs) {
                Optional<TaskRecord> old = find(spec.id());
                if (old.isEmpty()) {
                    insert(TaskRecords.declared(spec, "tasks.yaml", next++, now));
                    journal.insert(Kind.INFO, null, spec.id(), "declared " + spec.id() + " (tasks.yaml)", now);
                } else {
                    Optional<TaskRecord> updated = TaskRecords.redeclared(old.get(), spec, now);
                    if (updated.isPresent()) {
                        update(updated.get());
                        journal.insert(Kind.INFO, null, spec.id(), "updated " + spec.id() + " from tasks.yaml", now);
                    }
                }
            }
            return null;
        });
    }

    /** As {@link dev.rulemux.board.TaskBoard#add}. */
    public boolean add(TaskSpec spec, String source) {
        long now = clock.millis();
        return db.write(() -> {
            if (find(spec.id()).isPresent()) {
                return false;
            }
            insert(TaskRecords.declared(spec, source, nextSeq(), now));
            journal.insert(Kind.INFO, null, spec.id(), "added " + spec.id() + " (" + source + "): " + spec.title(), now);
            return true;
        });
    }

    /**
     * Adds {@code specs} as one change: all of them, or none when an id is taken.
     *
     * @return the ids already taken (nothing was added), or an empty list (all were added)
     */
    public List<String> addAll(List<TaskSpec> specs, String source) {
        long now = clock.millis();
        return db.write(() -> {
            List<String> taken = new ArrayList<>();
            for (TaskSpec spec : specs) {
                if (find(spec.id()).isPresent()) {
                    taken.add(spec.id());
                }
            }
            if (!taken.isEmpty()) {
                return taken;
            }
            int next = nextSeq();
            for (TaskSpec spec : specs) {
                insert(TaskRecords.declared(spec, source, next++, now));
                journal.insert(Kind.INFO, null, spec.id(), "added " + spec.id() + " (" + source + "): " + spec.title(), now);
            }
            return taken;
        });
    }

    public boolean move(String task, TaskState to, String agent, String reason) {
        return change(task, r -> TaskRecords.moved(r, to, agent, reason, clock.millis()).orElse(null));
    }

    public boolean handTo(String task, String agent, String reason) {
        return change(task, r -> TaskRecords.handedTo(r, agent, reason, clock.millis()).orElse(null));
    }

    /**
     * As {@link dev.rulemux.board.TaskBoard#retry}; the task's verification results go too: its attempts start again
     * from 1, and a result of an earlier round must not pass for the new round's.
     */
    public boolean retry(String task, String reason) {
        return db.write(() -> {
            Optional<TaskRecord> n = find(task).flatMap(r -> TaskRecords.retried(r, reason, clock.millis()));
            if (n.isEmpty()) {
                return false;
            }
            update(n.get());
            InboxStore.forgetVerifications(db, task);
            return true;
        });
    }

    public boolean delivered(String task, String agent, long at, String finishedLineBefore) {
        return db.write(() -> {
            Optional<TaskRecord> n = find(task).flatMap(x -> TaskRecords.delivered(x, agent, at, finishedLineBefore));
            if (n.isEmpty()) {
                return false;
            }
            update(n.get());
            agents.count(agent, "prompts_sent");
            return true;
        });
    }

    public void enterPressed(String task, long at) {
        db.write(() -> {
            Optional<TaskRecord> n = find(task).flatMap(r -> TaskRecords.enterPressed(r, at));
            if (n.isPresent()) {
                update(n.get());
                agents.count(n.get().agent(), "enter_presses");
            }
            return null;
        });
    }

    public void seenWorking(String task) {
        change(task, r -> TaskRecords.seenWorking(r, clock.millis()).orElse(null));
    }

    private boolean change(String task, UnaryOperator<TaskRecord> how) {
        return db.write(() -> {
            Optional<TaskRecord> r = find(task);
            if (r.isEmpty()) {
                return false;
            }
            TaskRecord n = how.apply(r.get());
            if (n == null) {
                return false;
            }
            update(n);
            if (n.state() == TaskState.COMPLETED && r.get().state() != TaskState.COMPLETED && n.lastAgent() != null) {
                agents.count(n.lastAgent(), "tasks_completed");
            }
            return true;
        });
    }

    private int nextSeq() throws SQLException {
        try (Statement s = db.statement(); ResultSet r = s.executeQuery("SELECT coalesce(max(seq), -1) + 1 FROM tasks")) {
            return r.next() ? r.getInt(1) : 0;
        }
    }

    private void insert(TaskRecord t) throws SQLException {
        tasksWritten++;
        try (PreparedStatement p = db.prepare("INSERT INTO tasks (" + COLUMNS + ", rev) VALUES ("
                + "?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?, " + NEXT_REV + ")")) {
            p.setString(1, t.id());
            bind(p, t, 2);
            p.executeUpdate();
        }
    }

    /** Writes {@code t} over its row; inside a change. */
    void update(TaskRecord t) throws SQLException {
        tasksWritten++;
        String set = Arrays.stream(COLUMNS.split(", ")).skip(1).map(c -> c + " = ?")
                .reduce((a, b) -> a + ", " + b).orElseThrow();
        try (PreparedStatement p = db.prepare("UPDATE tasks SET " + set + ", rev = " + NEXT_REV + " WHERE id = ?")) {
            int last = bind(p, t, 1);
            p.setString(last, t.id());
            p.executeUpdate();
        }
    }

    /** Binds every column but the id from position {@code i}; returns the next position. */
    private static int bind(PreparedStatement p, TaskRecord t, int i) throws SQLException {
        TaskSpec s = t.spec();
        p.setInt(i++, t.order());
        p.setString(i++, s.title());
        p.setString(i++, s.complexity().name());
        p.setString(i++, s.priority().name());
        p.setString(i++, s.prompt());
        p.setString(i++, s.promptFile() == null ? null : s.promptFile().toString());
        p.setString(i++, json(s.dependsOn()));
        p.setString(i++, s.verify());
        p.setString(i++, json(s.files()));
        p.setInt(i++, s.maxAttempts());
        p.setInt(i++, s.line());
        p.setString(i++, t.source());
        p.setString(i++, t.state().name());
        p.setString(i++, t.agent());
        p.setString(i++, t.lastAgent());
        p.setString(i++, t.preferAgent());
        p.setInt(i++, t.attempts());
        p.setLong(i++, t.createdAt());
        p.setLong(i++, t.updatedAt());
        p.setLong(i++, t.pendingSince());
        p.setLong(i++, t.startedAt());
        p.setLong(i++, t.finishedAt());
        p.setString(i++, t.note() == null ? "" : t.note());
        p.setString(i++, t.lastOutput() == null ? "" : t.lastOutput());
        TaskRecord.DeliveryRecord d = t.delivery();
        if (d == null) {
            for (int k = 0; k < 6; k++) {
                p.setNull(i++, Types.NULL);
            }
        } else {
            p.setString(i++, d.agent());
            p.setLong(i++, d.deliveredAt());
            p.setInt(i++, d.enterPresses());
            p.setLong(i++, d.lastKeysAt());
            p.setInt(i++, d.seenWorking() ? 1 : 0);
            p.setString(i++, d.finishedLine());
        }
        p.setString(i++, s.isolation() == null ? null : s.isolation().name());
        return i;
    }

    private static TaskRecord read(ResultSet r) throws SQLException {
        TaskSpec spec = new TaskSpec(r.getString("id"), r.getString("title"), Tier.valueOf(r.getString("complexity")),
                Priority.valueOf(r.getString("priority")), r.getString("prompt"),
                r.getString("prompt_file") == null ? null : Path.of(r.getString("prompt_file")),
                list(r.getString("depends_on")), r.getString("verify"), list(r.getString("files")), r.getInt("max_attempts"),
                r.getInt("line"), r.getString("isolation") == null ? null : IsolationMode.valueOf(r.getString("isolation")));
        String dAgent = r.getString("d_agent");
        TaskRecord.DeliveryRecord d = dAgent == null ? null : new TaskRecord.DeliveryRecord(dAgent, r.getLong("d_at"),
                r.getInt("d_presses"), r.getLong("d_keys_at"), r.getInt("d_seen_working") == 1, r.getString("d_finished_line"));
        return new TaskRecord(spec, r.getString("source"), r.getInt("seq"), TaskState.valueOf(r.getString("state")),
                r.getString("agent"), r.getString("last_agent"), r.getString("prefer_agent"), r.getInt("attempts"),
                r.getLong("created_at"), r.getLong("updated_at"), r.getLong("pending_since"), r.getLong("started_at"),
                r.getLong("finished_at"), r.getString("note"), r.getString("last_output"), d);
    }
}
