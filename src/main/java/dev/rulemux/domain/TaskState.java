package dev.rulemux.domain;

/** Where a task is in its life. */
public enum TaskState {
    /** Waiting to be dispatched (its dependencies may still be unfinished). */
    PENDING,
    /** Its prompt was delivered to an agent; the agent has not yet been seen working on it. */
    ASSIGNED,
    /** An agent is working on it. */
    IN_PROGRESS,
    /** The agent finished; its verify command is running. */
    VERIFYING,
    COMPLETED,
    FAILED,
    BLOCKED,
    CANCELLED;

    /** True while the task occupies an agent. */
    public boolean inFlight() {
        return this == ASSIGNED || this == IN_PROGRESS;
    }

    public boolean finished() {
        return this == COMPLETED || this == FAILED || this == CANCELLED;
    }
}
