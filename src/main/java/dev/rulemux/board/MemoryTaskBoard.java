package dev.rulemux.board;

import dev.rulemux.config.TaskSpec;
import dev.rulemux.domain.Report;
import dev.rulemux.domain.ReportOutcome;
import dev.rulemux.domain.Task;
import dev.rulemux.domain.TaskState;
import dev.rulemux.domain.Verification;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * A task board kept in memory: the twin of the SQLite store, for tests, a dry run and anything that need not
 * survive the process. The changes themselves are {@link TaskRecords}'; this only keeps the records, timed by its
 * clock.
 */
public final class MemoryTaskBoard implements TaskBoard {

    private final Branches branches = new Branches.InMemory();

    @Override
    public Branches branches() {
        return branches;
    }


    private final Map<String, TaskRecord> records = new LinkedHashMap<>();
    private final List<Report> reports = new ArrayList<>();
    private final Map<String, Verification> verifications = new LinkedHashMap<>();
    private final Clock clock;
    private long reportSeq;

    /** A board of {@code specs}, declared now; {@code clock} times every change. */
    public MemoryTaskBoard(List<TaskSpec> specs, Clock clock) {
        this.clock = clock;
        declare(specs);
    }

    /** A copy of {@code records} (a dry run works on a copy of the store's tasks); {@code clock} times its changes. */
    public static MemoryTaskBoard copyOf(List<TaskRecord> records, Clock clock) {
        MemoryTaskBoard board = new MemoryTaskBoard(List.of(), clock);
        records.forEach(r -> board.records.put(r.id(), r));
        return board;
    }

    /**
     * A copy of a board's tasks, the reports waiting for the loop (with their numbers) and the verification results
     * not acted on yet: a stand-in while the real board cannot be written ({@link ResilientBoard}).
     */
    static MemoryTaskBoard copyOf(List<TaskRecord> records, List<Report> reports, List<Verification> verifications,
                                  Clock clock) {
        MemoryTaskBoard board = copyOf(records, clock);
        board.reports.addAll(reports);
        board.reportSeq = reports.stream().mapToLong(Report::seq).max().orElse(0);
        verifications.forEach(v -> board.verifications.put(v.task(), v));
        return board;
    }

    @Override
    public synchronized List<Task> tasks(long now) {
        return TaskRecords.facts(records.values(), now);
    }

    @Override
    public List<Task> tasks() {
        return tasks(clock.millis());
    }

    @Override
    public synchronized List<TaskRecord> records() {
        return List.copyOf(records.values());
    }

    @Override
    public synchronized Optional<TaskRecord> record(String id) {
        return Optional.ofNullable(records.get(id));
    }

    @Override
    public synchronized void declare(List<TaskSpec> specs) {
        long now = clock.millis();
        for (TaskSpec spec : specs) {
            TaskRecord r = records.get(spec.id());
            if (r == null) {
                records.put(spec.id(), TaskRecords.declared(spec, "tasks.yaml", records.size(), now));
            } else {
                TaskRecords.redeclared(r, spec, now).ifPresent(n -> records.put(n.id(), n));
            }
        }
    }

    @Override
    public synchronized boolean add(TaskSpec spec, String source) {
        if (records.containsKey(spec.id())) {
            return false;
        }
        records.put(spec.id(), TaskRecords.declared(spec, source, records.size(), clock.millis()));
        return true;
    }

    @Override
    public boolean move(String task, TaskState to, String agent, String reason) {
        return change(task, r -> TaskRecords.moved(r, to, agent, reason, clock.millis()).orElse(null));
    }

    @Override
    public boolean handTo(String task, String agent, String reason) {
        return change(task, r -> TaskRecords.handedTo(r, agent, reason, clock.millis()).orElse(null));
    }

    @Override
    public synchronized boolean retry(String task, String reason) {
        boolean retried = change(task, r -> TaskRecords.retried(r, reason, clock.millis()).orElse(null));
        if (retried) {
            verifications.remove(task); // its attempts start again from 1: an old result must not pass the new attempt 1
        }
        return retried;
    }

    @Override
    public boolean delivered(String task, String agent, long at, String finishedLineBefore) {
        return change(task, r -> TaskRecords.delivered(r, agent, at, finishedLineBefore).orElse(null));
    }

    @Override
    public void enterPressed(String task, long at) {
        change(task, r -> TaskRecords.enterPressed(r, at).orElse(null));
    }

    @Override
    public void seenWorking(String task) {
        change(task, r -> TaskRecords.seenWorking(r, clock.millis()).orElse(null));
    }

    @Override
    public synchronized void report(String task, ReportOutcome outcome, String note, String agent, long at) {
        reports.add(new Report(++reportSeq, task, outcome, note == null ? "" : note, agent));
    }

    @Override
    public synchronized List<Report> reports() {
        return List.copyOf(reports);
    }

    @Override
    public synchronized void consumed(long seq) {
        reports.removeIf(r -> r.seq() == seq);
    }

    @Override
    public synchronized void verified(Verification result, long at) {
        verifications.put(result.task(), result);
        change(result.task(), r -> TaskRecords.withLastOutput(r, result.passed() ? "" : result.outputTail(), at));
    }

    @Override
    public synchronized List<Verification> verifications() {
        List<Verification> out = new ArrayList<>();
        verifications.forEach((task, v) -> {
            TaskRecord r = records.get(task);
            if (r != null && r.state() == TaskState.VERIFYING && v.attempt() == r.attempts()) {
                out.add(v);
            }
        });
        return out;
    }

    private synchronized boolean change(String task, UnaryOperator<TaskRecord> how) {
        TaskRecord r = records.get(task);
        if (r == null) {
            return false;
        }
        TaskRecord n = how.apply(r);
        if (n == null) {
            return false;
        }
        records.put(task, n);
        return true;
    }
}
