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

    /**
     * The allowed transitions, in one place. A task is (re)queued as PENDING from any unfinished state,
     * moves forward through ASSIGNED, IN_PROGRESS and VERIFYING, and ends COMPLETED, FAILED or CANCELLED (a pending
     * task fails when it can never be sent: its prompt cannot be built, or its attempts are used up);
     * only a retry brings a FAILED or CANCELLED task back to PENDING. BLOCKED waits for a person (a task whose branch
     * would not merge back into its base is blocked from VERIFYING).
     */
    public boolean canMoveTo(TaskState to) {
        if (to == this) {
            return false;
        }
        return switch (this) {
            case PENDING -> to == ASSIGNED || to == BLOCKED || to == FAILED || to == CANCELLED;
            case ASSIGNED -> to == IN_PROGRESS || to == VERIFYING || to == COMPLETED || to == PENDING
                    || to == BLOCKED || to == FAILED || to == CANCELLED;
            case IN_PROGRESS -> to == VERIFYING || to == COMPLETED || to == PENDING || to == BLOCKED
                    || to == FAILED || to == CANCELLED;
            case VERIFYING -> to == COMPLETED || to == PENDING || to == BLOCKED || to == FAILED || to == CANCELLED;
            case BLOCKED -> to == PENDING || to == CANCELLED || to == COMPLETED;
            case FAILED, CANCELLED -> to == PENDING;
            case COMPLETED -> false;
        };
    }
}
