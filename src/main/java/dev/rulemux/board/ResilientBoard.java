package dev.rulemux.board;

import dev.rulemux.config.TaskSpec;
import dev.rulemux.domain.Report;
import dev.rulemux.domain.ReportOutcome;
import dev.rulemux.domain.Task;
import dev.rulemux.domain.TaskState;
import dev.rulemux.domain.Verification;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * The run loop's task board and journal over a store that may fail for a while (another process holds the database's
 * write lock, the disk is full): one failure must not end the run and leave the team unattended.
 *
 * <p>While the store works, every call goes straight to it. When a change fails with a transient error, the board goes
 * on from a copy in memory of what it last read: the loop keeps deciding and acting on it, and every change (task
 * moves, deliveries, verification results, consumed reports, journal events, agents' rows) is made on the copy and kept,
 * in order. At each tick ({@link #catchUp}) the kept changes are written again, first after {@value #FIRST_RETRY_MS} ms,
 * then after twice as long each time (up to {@value #MAX_RETRY_MS} ms); once all are written the board reads the store
 * again. A person is told when an outage begins, every minute while it lasts, and when it ends. Errors that will not go
 * away by waiting (a corrupt database, a bug) still go to the caller.
 */
public final class ResilientBoard implements TaskBoard, Journal {

    /** How long a change waits for another process's write lock before the loop keeps it for later. */
    public static final Duration BUSY_TIMEOUT = Duration.ofSeconds(2);
    static final long FIRST_RETRY_MS = 250;
    static final long MAX_RETRY_MS = 30_000;
    static final long REMIND_MS = 60_000;
    /** At most this many journal events are kept during an outage; older ones are dropped (and counted) past it. */
    static final int MAX_KEPT_EVENTS = 10_000;

    private interface Change {
        void writeTo(TaskBoard board, Journal journal);
    }

    private record Kept(Change change, boolean event) {
    }

    private final TaskBoard board;
    private final Journal journal;
    private final Predicate<RuntimeException> isTransient;
    private final Clock clock;
    private final List<Kept> kept = new ArrayList<>();
    private final Map<String, AgentState> keptAgents = new LinkedHashMap<>();
    private final List<String> news = new ArrayList<>();
    private List<TaskRecord> lastRecords = List.of();
    private List<Report> lastReports = List.of();
    private List<Verification> lastVerifications = List.of();
    private MemoryTaskBoard copy; // non-null during an outage
    private long outageSince; // the clock's epoch ms, as are the next two
    private long retryAt;
    private long remindAt;
    private long backoff;
    private int keptEvents;
    private int droppedEvents;

    /**
     * @param isTransient which errors of {@code board} and {@code journal} waiting may mend
     * @param clock       when to retry and remind; the changes kept are timed by it too
     */
    public ResilientBoard(TaskBoard board, Journal journal, Predicate<RuntimeException> isTransient, Clock clock) {
        this.board = board;
        this.journal = journal;
        this.isTransient = isTransient;
        this.clock = clock;
        records(); // what the copy starts from if the first change fails
        reports();
        verifications();
    }

    /** The store's branches: a merge whose record cannot be written fails and is decided again at a later tick. */
    @Override
    public Branches branches() {
        return board.branches();
    }

    /** True while changes are kept back. */
    public synchronized boolean degraded() {
        return copy != null;
    }

    // ------------------------------------------------------------------------------------------ reads

    @Override
    public List<Task> tasks(long now) {
        return TaskRecords.facts(records(), now);
    }

    @Override
    public List<Task> tasks() {
        return tasks(clock.millis());
    }

    @Override
    public synchronized List<TaskRecord> records() {
        if (copy == null) {
            try {
                lastRecords = board.records();
                return lastRecords;
            } catch (RuntimeException e) {
                outage("reading the tasks", e);
            }
        }
        return copy.records();
    }

    @Override
    public synchronized Optional<TaskRecord> record(String id) {
        if (copy == null) {
            try {
                return board.record(id);
            } catch (RuntimeException e) {
                outage("reading task " + id, e);
            }
        }
        return copy.record(id);
    }

    @Override
    public synchronized List<Report> reports() {
        if (copy == null) {
            try {
                lastReports = board.reports();
                return lastReports;
            } catch (RuntimeException e) {
                outage("reading the reports", e);
            }
        }
        return copy.reports();
    }

    @Override
    public synchronized List<Verification> verifications() {
        if (copy == null) {
            try {
                lastVerifications = board.verifications();
                return lastVerifications;
            } catch (RuntimeException e) {
                outage("reading the verification results", e);
            }
        }
        return copy.verifications();
    }

    @Override
    public List<Event> events(long afterSeq, int limit) {
        return journal.events(afterSeq, limit);
    }

    @Override
    public List<AgentState> agents() {
        return journal.agents();
    }

    // ------------------------------------------------------------------------------------------ changes

    @Override
    public void declare(List<TaskSpec> specs) {
        change("declaring tasks.yaml", b -> {
            b.declare(specs);
            return null;
        });
    }

    @Override
    public boolean add(TaskSpec spec, String source) {
        return change("adding " + spec.id(), b -> b.add(spec, source));
    }

    @Override
    public boolean move(String task, TaskState to, String agent, String reason) {
        return change("moving " + task + " to " + to, b -> b.move(task, to, agent, reason));
    }

    @Override
    public boolean handTo(String task, String agent, String reason) {
        return change("handing " + task + " to " + agent, b -> b.handTo(task, agent, reason));
    }

    /** As the board's: during an outage the move is kept with its event, and both are written when it ends. */
    @Override
    public boolean journalsMoves() {
        return board.journalsMoves();
    }

    @Override
    public boolean move(String task, TaskState to, String agent, String reason, Entry entry) {
        return change("moving " + task + " to " + to, b -> b.move(task, to, agent, reason, entry));
    }

    @Override
    public boolean handTo(String task, String agent, String reason, Entry entry) {
        return change("handing " + task + " to " + agent, b -> b.handTo(task, agent, reason, entry));
    }

    @Override
    public boolean retry(String task, String reason) {
        return change("retrying " + task, b -> b.retry(task, reason));
    }

    @Override
    public boolean delivered(String task, String agent, long at, String finishedLineBefore) {
        return change("recording the delivery of " + task, b -> b.delivered(task, agent, at, finishedLineBefore));
    }

    @Override
    public void enterPressed(String task, long at) {
        change("recording an Enter for " + task, b -> {
            b.enterPressed(task, at);
            return null;
        });
    }

    @Override
    public void seenWorking(String task) {
        change("recording " + task + " under way", b -> {
            b.seenWorking(task);
            return null;
        });
    }

    @Override
    public void report(String task, ReportOutcome outcome, String note, String agent, long at) {
        change("recording a report on " + task, b -> {
            b.report(task, outcome, note, agent, at);
            return null;
        });
    }

    @Override
    public void consumed(long seq) {
        change("marking report " + seq + " acted on", b -> {
            b.consumed(seq);
            return null;
        });
    }

    @Override
    public void verified(Verification result, long at) {
        change("recording the verification of " + result.task(), b -> {
            b.verified(result, at);
            return null;
        });
    }

    @Override
    public synchronized void event(Kind kind, String agent, String task, String detail) {
        if (copy == null) {
            try {
                journal.event(kind, agent, task, detail);
                return;
            } catch (RuntimeException e) {
                outage("writing an event", e);
            }
        }
        kept.add(new Kept((b, j) -> j.event(kind, agent, task, detail), true));
        keptEvents++;
        if (keptEvents > MAX_KEPT_EVENTS) {
            for (int i = 0; i < kept.size(); i++) {
                if (kept.get(i).event()) {
                    kept.remove(i);
                    keptEvents--;
                    droppedEvents++;
                    break;
                }
            }
        }
    }

    @Override
    public synchronized void agent(AgentState state) {
        if (copy == null) {
            try {
                journal.agent(state);
                return;
            } catch (RuntimeException e) {
                outage("writing " + state.name() + "'s row", e);
            }
        }
        keptAgents.put(state.name(), state); // an agent's row is its latest state: only the newest is kept
    }

    /** A change of the board: made on the store, or, during an outage, on the copy and kept. */
    private synchronized <T> T change(String what, Function<TaskBoard, T> how) {
        if (copy == null) {
            try {
                return how.apply(board);
            } catch (RuntimeException e) {
                outage(what, e);
            }
        }
        T result = how.apply(copy);
        kept.add(new Kept((b, j) -> how.apply(b), false));
        return result;
    }

    /** Rethrows {@code e} unless transient; else starts an outage (once) from the last state read. */
    private void outage(String what, RuntimeException e) {
        if (!isTransient.test(e)) {
            throw e;
        }
        long now = clock.millis();
        copy = MemoryTaskBoard.copyOf(lastRecords, lastReports, lastVerifications, clock);
        outageSince = now;
        backoff = FIRST_RETRY_MS;
        retryAt = now + backoff;
        remindAt = now + REMIND_MS;
        news.add("the state database cannot be written (" + what + ": " + e.getMessage() + "); the loop goes on and "
                + "keeps its changes until the database can be written, retrying with backoff");
    }

    // ------------------------------------------------------------------------------------------ catching up

    @Override
    public synchronized List<String> catchUp() {
        if (copy != null && clock.millis() >= retryAt) {
            writeKept();
        }
        if (copy != null && clock.millis() >= remindAt) {
            remindAt = clock.millis() + REMIND_MS;
            news.add("the state database still cannot be written after " + seconds(outageSince) + " s; " + pending()
                    + " kept for it");
        }
        List<String> out = List.copyOf(news);
        news.clear();
        return out;
    }

    private void writeKept() {
        int written = 0;
        try {
            while (!kept.isEmpty()) {
                Kept k = kept.get(0);
                try {
                    k.change().writeTo(board, journal);
                } catch (RuntimeException e) {
                    if (isTransient.test(e)) {
                        throw e;
                    }
                    news.add("a change kept during the outage could not be written and is dropped: " + e.getMessage());
                }
                kept.remove(0);
                if (k.event()) {
                    keptEvents--;
                }
                written++;
            }
            while (!keptAgents.isEmpty()) {
                AgentState a = keptAgents.values().iterator().next();
                journal.agent(a);
                keptAgents.remove(a.name());
                written++;
            }
        } catch (RuntimeException e) {
            if (!isTransient.test(e)) {
                throw e;
            }
            backoff = Math.min(MAX_RETRY_MS, backoff * 2);
            retryAt = clock.millis() + backoff;
            return;
        }
        news.add("the state database is writable again after " + seconds(outageSince) + " s: " + written
                + " kept changes were written" + (droppedEvents == 0 ? "" : ", " + droppedEvents + " older events dropped"));
        copy = null;
        droppedEvents = 0;
        records();
        reports();
        verifications();
    }

    private String pending() {
        return kept.size() + keptAgents.size() + " changes";
    }

    private long seconds(long sinceMs) {
        return Duration.ofMillis(clock.millis() - sinceMs).toSeconds();
    }

    /** Writes what is still kept, if it can; the store itself is closed by its owner. */
    @Override
    public synchronized void close() {
        if (copy != null) {
            try {
                writeKept();
            } catch (RuntimeException e) {
                // closing at exit: what cannot be written now is lost, as the alerts said
            }
        }
    }
}
