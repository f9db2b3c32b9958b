package dev.rulemux.board;

import dev.rulemux.config.TaskSpec;
import dev.rulemux.domain.Task;
import dev.rulemux.domain.TaskState;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * How a task's record changes, in one place, for every board: each method returns the record as it becomes,
 * or empty when the change is not allowed (the state machine of {@link TaskState#canMoveTo}). Boards only
 * store what these return.
 */
public final class TaskRecords {

    private TaskRecords() {
    }

    public static TaskRecord declared(TaskSpec spec, String source, int order, long now) {
        return new TaskRecord(spec, source, order, TaskState.PENDING, null, null, null, 0, now, now, now, 0, 0, "", "", null);
    }

    /** A re-declared task: its declaration is updated while it is pending, else it keeps what it was. */
    public static Optional<TaskRecord> redeclared(TaskRecord r, TaskSpec spec, long now) {
        if (r.state() != TaskState.PENDING || r.spec().equals(spec)) {
            return Optional.empty();
        }
        return Optional.of(new TaskRecord(spec, r.source(), r.order(), r.state(), r.agent(), r.lastAgent(), r.preferAgent(),
                r.attempts(), r.createdAt(), now, r.pendingSince(), r.startedAt(), r.finishedAt(), r.note(), r.lastOutput(),
                r.delivery()));
    }

    public static Optional<TaskRecord> moved(TaskRecord r, TaskState to, String agent, String reason, long now) {
        if (!r.state().canMoveTo(to)) {
            return Optional.empty();
        }
        boolean onAgent = to.inFlight() || to == TaskState.VERIFYING;
        String onto = onAgent ? (agent != null ? agent : r.agent()) : null;
        return Optional.of(new TaskRecord(r.spec(), r.source(), r.order(), to, onto,
                onto != null ? onto : r.lastAgent(), to == TaskState.PENDING ? r.preferAgent() : null, r.attempts(),
                r.createdAt(), now, to == TaskState.PENDING ? now : r.pendingSince(), r.startedAt(),
                to.finished() ? now : 0, reason == null ? "" : reason, r.lastOutput(), to.inFlight() ? r.delivery() : null));
    }

    public static Optional<TaskRecord> handedTo(TaskRecord r, String agent, String reason, long now) {
        return moved(r, TaskState.PENDING, null, reason, now).map(m -> new TaskRecord(m.spec(), m.source(), m.order(),
                m.state(), null, m.lastAgent(), agent, m.attempts(), m.createdAt(), now, now, m.startedAt(), 0, m.note(),
                m.lastOutput(), null));
    }

    public static Optional<TaskRecord> retried(TaskRecord r, String reason, long now) {
        if (r.state() != TaskState.FAILED && r.state() != TaskState.BLOCKED && r.state() != TaskState.CANCELLED) {
            return Optional.empty();
        }
        return moved(r, TaskState.PENDING, null, reason, now).map(m -> new TaskRecord(m.spec(), m.source(), m.order(),
                m.state(), null, m.lastAgent(), null, 0, m.createdAt(), now, now, m.startedAt(), 0, m.note(), "", null));
    }

    public static Optional<TaskRecord> delivered(TaskRecord r, String agent, long at, String finishedLineBefore) {
        if (!r.state().canMoveTo(TaskState.ASSIGNED)) {
            return Optional.empty();
        }
        return Optional.of(new TaskRecord(r.spec(), r.source(), r.order(), TaskState.ASSIGNED, agent, agent, null,
                r.attempts() + 1, r.createdAt(), at, r.pendingSince(), at, 0, "delivered to " + agent, r.lastOutput(),
                new TaskRecord.DeliveryRecord(agent, at, 1, at, false, finishedLineBefore)));
    }

    public static Optional<TaskRecord> enterPressed(TaskRecord r, long at) {
        TaskRecord.DeliveryRecord d = r.delivery();
        if (d == null) {
            return Optional.empty();
        }
        return Optional.of(withDelivery(r, new TaskRecord.DeliveryRecord(d.agent(), d.deliveredAt(), d.enterPresses() + 1, at,
                d.seenWorking(), d.finishedLine()), at));
    }

    public static Optional<TaskRecord> seenWorking(TaskRecord r, long now) {
        TaskRecord.DeliveryRecord d = r.delivery();
        if (d == null || d.seenWorking()) {
            return Optional.empty();
        }
        return Optional.of(withDelivery(r, new TaskRecord.DeliveryRecord(d.agent(), d.deliveredAt(), d.enterPresses(),
                d.lastKeysAt(), true, d.finishedLine()), now));
    }

    /** A verification's output tail is kept while it failed (for the retry prompt), cleared once one passes. */
    public static TaskRecord withLastOutput(TaskRecord r, String output, long now) {
        return new TaskRecord(r.spec(), r.source(), r.order(), r.state(), r.agent(), r.lastAgent(), r.preferAgent(),
                r.attempts(), r.createdAt(), now, r.pendingSince(), r.startedAt(), r.finishedAt(), r.note(), output,
                r.delivery());
    }

    private static TaskRecord withDelivery(TaskRecord r, TaskRecord.DeliveryRecord d, long now) {
        return new TaskRecord(r.spec(), r.source(), r.order(), r.state(), r.agent(), r.lastAgent(), r.preferAgent(),
                r.attempts(), r.createdAt(), now, r.pendingSince(), r.startedAt(), r.finishedAt(), r.note(), r.lastOutput(), d);
    }

    /**
     * The tasks as facts, in queue order. A pending task's waiting time counts from when it became ready:
     * the later of its becoming pending and its last dependency's completion. A task's fact changes only when
     * its record does ({@code now} is not part of it).
     */
    public static List<Task> facts(Collection<TaskRecord> records, long now) {
        Map<String, TaskRecord> byId = new HashMap<>();
        records.forEach(r -> byId.put(r.id(), r));
        List<TaskRecord> ordered = new ArrayList<>(records);
        ordered.sort(Comparator.comparingInt(TaskRecord::order));
        List<Task> out = new ArrayList<>();
        for (TaskRecord r : ordered) {
            TaskSpec s = r.spec();
            long readySince = -1;
            if (r.state() == TaskState.PENDING) {
                long since = r.pendingSince();
                boolean ready = true;
                for (String dep : s.dependsOn()) {
                    TaskRecord d = byId.get(dep);
                    if (d == null || d.state() != TaskState.COMPLETED) {
                        ready = false;
                        break;
                    }
                    since = Math.max(since, d.finishedAt());
                }
                readySince = ready ? since : -1;
            }
            out.add(new Task(s.id(), s.title(), s.complexity(), s.priority(), s.dependsOn(), r.state(), r.agent(), r.order(),
                    r.attempts(), s.maxAttempts(), s.verify() != null && !s.verify().isBlank(), r.preferAgent(), readySince,
                    r.lastAgent(), r.updatedAt(), s.isolation()));
        }
        return out;
    }
}
