package dev.rulemux.domain;

import java.util.List;

/**
 * A task's own git branch ({@code rulemux/<agent>/<task>}), made in its agent's worktree from the agent's base
 * branch when the task was sent, and how far it is on its way back into that base.
 *
 * @param task      the task
 * @param agent     the agent whose worktree holds it
 * @param branch    the branch name
 * @param base      the branch it is merged into
 * @param merge     where the merge stands
 * @param conflicts the files that conflicted (for {@link MergeState#CONFLICT}), or empty
 * @param note      what the last merge step said (why a branch was left, what was merged), or empty
 */
public record TaskBranch(String task, String agent, String branch, String base, MergeState merge, List<String> conflicts,
                         String note) implements AboutAgent {

    public TaskBranch {
        conflicts = conflicts == null ? List.of() : List.copyOf(conflicts);
        note = note == null ? "" : note;
    }

    /** True while the branch waits to be brought back; rules match it as {@code TaskBranch( unsettled )}. */
    public boolean unsettled() {
        return merge.unsettled();
    }

    public TaskBranch with(MergeState state, List<String> conflictingFiles, String why) {
        return new TaskBranch(task, agent, branch, base, state, conflictingFiles, why);
    }
}
