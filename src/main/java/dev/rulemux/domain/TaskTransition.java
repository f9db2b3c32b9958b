package dev.rulemux.domain;

/**
 * A decision of the policy that a task moves to another state, and why. Java applies it to the task board.
 *
 * @param task   the task
 * @param to     its new state
 * @param reason why, in words
 * @param target for a task put back in the queue for one agent to take (a handoff), that agent; else null
 */
public record TaskTransition(String task, TaskState to, String reason, String target) {

    public TaskTransition(String task, TaskState to, String reason) {
        this(task, to, reason, null);
    }

    /** The task goes back to the queue, for {@code agent} to take. */
    public static TaskTransition handTo(String task, String agent, String reason) {
        return new TaskTransition(task, TaskState.PENDING, reason, agent);
    }
}
