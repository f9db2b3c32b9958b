package dev.rulemux.loop;

import dev.rulemux.config.TaskSpec;
import dev.rulemux.domain.Task;
import dev.rulemux.domain.TaskState;
import java.util.List;
import java.util.Optional;

/**
 * The tasks and where each one is. {@code tasks.yaml} declares them; the policy's transitions and the
 * actions carried out move them. Every state change goes through {@link #move}, which refuses the
 * transitions {@link TaskState#canMoveTo} does not allow.
 */
public interface TaskBoard {

    /** Every task, in declaration order, with its current state and agent. */
    List<Task> tasks();

    Optional<TaskSpec> spec(String id);

    /**
     * Takes in {@code tasks.yaml} as declared now: new tasks are added as PENDING, pending ones updated;
     * tasks already started keep their state and history.
     */
    void declare(List<TaskSpec> specs);

    /**
     * Moves {@code task} to {@code to} (with {@code agent} when it goes in flight, else none).
     *
     * @return false, changing nothing, when the task does not exist or the transition is not allowed
     */
    boolean move(String task, TaskState to, String agent, String reason);

    /** The agent the task was last given to, even after it finished. */
    Optional<String> lastAgent(String task);

    /** True when no task is pending or in flight. */
    default boolean done() {
        return tasks().stream().noneMatch(t -> t.state() == TaskState.PENDING || t.state().inFlight()
                || t.state() == TaskState.VERIFYING);
    }
}
