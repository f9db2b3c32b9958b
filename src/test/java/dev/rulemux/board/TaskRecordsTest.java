package dev.rulemux.board;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rulemux.config.TaskSpec;
import dev.rulemux.domain.Priority;
import dev.rulemux.domain.Task;
import dev.rulemux.domain.TaskState;
import dev.rulemux.domain.Tier;
import java.util.EnumSet;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The task state machine and how a task's record changes, shared by every board. */
class TaskRecordsTest {

    private static TaskSpec spec(String id, String... deps) {
        return new TaskSpec(id, id, Tier.LOW, Priority.MEDIUM, "do " + id, null, List.of(deps), null, List.of(), 3, 1);
    }

    @Test
    void theAllowedTransitionsAreExactlyTheseAndCompletedIsFinal() {
        assertThat(allowedFrom(TaskState.PENDING)).containsExactlyInAnyOrder(TaskState.ASSIGNED, TaskState.BLOCKED, TaskState.FAILED,
                TaskState.CANCELLED);
        assertThat(allowedFrom(TaskState.ASSIGNED)).containsExactlyInAnyOrder(TaskState.IN_PROGRESS, TaskState.VERIFYING,
                TaskState.COMPLETED, TaskState.PENDING, TaskState.BLOCKED, TaskState.FAILED, TaskState.CANCELLED);
        assertThat(allowedFrom(TaskState.VERIFYING)).containsExactlyInAnyOrder(TaskState.COMPLETED, TaskState.PENDING,
                TaskState.FAILED, TaskState.BLOCKED, TaskState.CANCELLED);
        assertThat(allowedFrom(TaskState.FAILED)).containsExactly(TaskState.PENDING);
        assertThat(allowedFrom(TaskState.CANCELLED)).containsExactly(TaskState.PENDING);
        assertThat(allowedFrom(TaskState.COMPLETED)).isEmpty();
    }

    private static EnumSet<TaskState> allowedFrom(TaskState from) {
        EnumSet<TaskState> out = EnumSet.noneOf(TaskState.class);
        for (TaskState to : TaskState.values()) {
            if (from.canMoveTo(to)) {
                out.add(to);
            }
        }
        return out;
    }

    @Test
    void aDeliveryCountsAnAttemptRecordsTheDeliveryAndClearsAHandoff() {
        TaskRecord inFlight = TaskRecords.delivered(TaskRecords.declared(spec("t"), "cli", 0, 100), "a", 150, null).orElseThrow();
        TaskRecord pending = TaskRecords.handedTo(inFlight, "b", "its agent exited", 200).orElseThrow();
        assertThat(pending.preferAgent()).isEqualTo("b");

        TaskRecord sent = TaskRecords.delivered(pending, "b", 300, "✻ Worked for 2s").orElseThrow();

        assertThat(sent.state()).isEqualTo(TaskState.ASSIGNED);
        assertThat(sent.attempts()).isEqualTo(2);
        assertThat(sent.preferAgent()).isNull();
        assertThat(sent.delivery()).isEqualTo(new TaskRecord.DeliveryRecord("b", 300, 1, 300, false, "✻ Worked for 2s"));
        assertThat(TaskRecords.delivered(sent, "b", 400, null)).as("not while in flight").isEmpty();
    }

    @Test
    void aTaskThatLeavesFlightDropsItsDeliveryAndAFinishedOneHasAnEndTime() {
        TaskRecord sent = TaskRecords.delivered(TaskRecords.declared(spec("t"), "cli", 0, 100), "a", 200, null).orElseThrow();
        TaskRecord pressed = TaskRecords.enterPressed(sent, 250).orElseThrow();
        assertThat(pressed.delivery().enterPresses()).isEqualTo(2);

        TaskRecord done = TaskRecords.moved(pressed, TaskState.COMPLETED, null, "its turn ended", 300).orElseThrow();

        assertThat(done.delivery()).isNull();
        assertThat(done.agent()).isNull();
        assertThat(done.lastAgent()).isEqualTo("a");
        assertThat(done.finishedAt()).isEqualTo(300);
        assertThat(TaskRecords.moved(done, TaskState.PENDING, null, "again", 400)).isEmpty();
    }

    @Test
    void aRetryResetsAttemptsAndTheLastFailureButOnlyForAFailedBlockedOrCancelledTask() {
        TaskRecord failed = TaskRecords.withLastOutput(TaskRecords.moved(TaskRecords.delivered(TaskRecords.declared(spec("t"), "cli", 0, 1),
                "a", 2, null).orElseThrow(), TaskState.FAILED, null, "x", 3).orElseThrow(), "boom", 4);

        TaskRecord retried = TaskRecords.retried(failed, "by a person", 5).orElseThrow();

        assertThat(retried.state()).isEqualTo(TaskState.PENDING);
        assertThat(retried.attempts()).isZero();
        assertThat(retried.lastOutput()).isEmpty();
        assertThat(TaskRecords.retried(retried, "again", 6)).isEmpty();
    }

    @Test
    void aRedeclarationChangesAPendingTaskOnly() {
        TaskRecord pending = TaskRecords.declared(spec("t"), "tasks.yaml", 0, 1);
        TaskSpec changed = new TaskSpec("t", "new title", Tier.HIGH, Priority.HIGH, "new", null, List.of(), null, List.of(), 3, 1);
        assertThat(TaskRecords.redeclared(pending, changed, 2)).hasValueSatisfying(r -> assertThat(r.spec()).isEqualTo(changed));

        TaskRecord started = TaskRecords.delivered(pending, "a", 3, null).orElseThrow();
        assertThat(TaskRecords.redeclared(started, changed, 4)).as("a started task keeps its history").isEmpty();
    }

    @Test
    void aPendingTaskWaitsFromWhenItBecameReady() {
        TaskRecord dep = TaskRecords.moved(TaskRecords.delivered(TaskRecords.declared(spec("dep"), "cli", 0, 0), "a", 100, null)
                .orElseThrow(), TaskState.COMPLETED, null, "done", 5_000).orElseThrow();
        TaskRecord waiting = TaskRecords.declared(spec("t", "dep"), "cli", 1, 1_000);
        TaskRecord blocked = TaskRecords.declared(spec("u", "nope"), "cli", 2, 1_000);

        List<Task> facts = TaskRecords.facts(List.of(blocked, waiting, dep), 12_000);

        assertThat(facts).extracting(Task::id).containsExactly("dep", "t", "u");
        assertThat(facts.get(1).waitingMs(12_000)).as("ready since its dependency completed").isEqualTo(7_000);
        assertThat(facts.get(2).waitingMs(12_000)).as("not ready").isZero();
    }
}
