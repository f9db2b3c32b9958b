package dev.rulemux.domain;

/** Where a task's branch is on its way back into its base branch (tasks of agents working in git worktrees). */
public enum MergeState {
    /** The agent works on it; nothing merged yet. */
    OPEN,
    /** rulemux is merging it into the base (recorded before the merge starts, so that a crash resumes it). */
    MERGING,
    /** Merged into the base. */
    MERGED,
    /** Left for a person to merge ({@code merge: manual}, or a base rulemux may not move). */
    LEFT,
    /** Merging it would conflict with the base: nothing was changed, the branch is kept. */
    CONFLICT,
    /** git failed at it again and again (not a conflict: a lock, a timeout, a missing base): nothing was changed. */
    FAILED;

    /** True while the branch still waits to be brought back (open, or a merge under way). */
    public boolean unsettled() {
        return this == OPEN || this == MERGING;
    }
}
