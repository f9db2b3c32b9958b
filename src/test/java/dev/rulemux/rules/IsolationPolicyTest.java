package dev.rulemux.rules;

import static dev.rulemux.rules.PolicySpec.spec;
import static dev.rulemux.rules.PolicySpec.with;
import static org.assertj.core.api.Assertions.assertThat;

import dev.rulemux.domain.ActionType;
import dev.rulemux.domain.Claim;
import dev.rulemux.domain.Isolated;
import dev.rulemux.domain.MergeState;
import dev.rulemux.domain.TaskBranch;
import dev.rulemux.domain.TaskState;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * rules/isolation.drl: file claims in a shared directory, and a task's branch merged back (or left, or blocked on a
 * conflict) after its check. The spec team is described in {@link PolicyDecisionsTest}.
 */
class IsolationPolicyTest {

    private static List<String> sent(PolicySpec.Verdict v) {
        return v.actions(ActionType.SEND_PROMPT).stream().map(a -> a.agent() + "<-" + a.task()).toList();
    }

    private static List<String> moves(PolicySpec.Verdict v) {
        return v.transitions().stream().map(t -> t.task() + "->" + t.to()).toList();
    }

    @Nested
    class FileClaims {

        @Test
        void aTaskWaitsWhileATaskInFlightInTheSharedDirectoryClaimsItsFiles() {
            // given small in progress on codex (no worktree) claiming src/**, and lint (pending) claiming src/app.txt
            PolicySpec.Verdict v = spec().assigned("codex", "small").screen("shell", "shell/idle", 5000, "bash")
                    .fact(new Claim("small", List.of("src/**"))).fact(new Claim("lint", List.of("src/app.txt")))
                    // when the low-tier shell is idle
                    .decide();
            // then it takes the next low task, not lint, and the rule says why
            assertThat(sent(v)).containsExactly("shell<-tests");
            assertThat(v.rulesFired()).contains("A pending task waits while a task in flight in a shared directory claims files it claims");
        }

        @Test
        void claimsThatDoNotOverlapDoNotHoldATaskBack() {
            PolicySpec.Verdict v = spec().assigned("codex", "small").screen("shell", "shell/idle", 5000, "bash")
                    .fact(new Claim("small", List.of("src/a/**"))).fact(new Claim("lint", List.of("src/b/*.txt"))).decide();

            assertThat(sent(v)).containsExactly("shell<-lint");
        }

        @Test
        void aTaskInFlightInAWorktreeHoldsNoClaimOnTheSharedDirectory() {
            PolicySpec.Verdict v = spec().assigned("codex", "small").screen("shell", "shell/idle", 5000, "bash")
                    .fact(new Isolated("codex", "team"))
                    .fact(new Claim("small", List.of("src/**"))).fact(new Claim("lint", List.of("src/app.txt"))).decide();

            assertThat(sent(v)).containsExactly("shell<-lint");
        }

        @Test
        void twoTasksWithOverlappingClaimsAreNotGivenOutInTheSameTick() {
            // given claude and shell idle, arch (high) and lint (low) both claiming docs/guide.md
            PolicySpec.Verdict v = spec().screen("claude", "claude-code/idle").screen("shell", "shell/idle", 5000, "bash")
                    .fact(new Claim("arch", List.of("docs/**"))).fact(new Claim("lint", List.of("docs/guide.md"))).decide();
            // then only one of them starts
            assertThat(sent(v)).doesNotContain("shell<-lint").contains("claude<-arch");
            assertThat(v.rulesFired()).contains("A pending task waits while a more urgent ready task claims files it claims");
        }
    }

    @Nested
    class MergingBack {

        private PolicySpec verified(MergeState merge, List<String> conflicts) {
            return spec().inState("small", TaskState.VERIFYING, "codex").task("small", t -> with(t, 1, true, null, null, null, null))
                    .verification("small", 1, true, 0, "ok").fact(new Isolated("codex", "team"))
                    .fact(new TaskBranch("small", "codex", "rulemux/codex/small", "team", merge, conflicts, ""));
        }

        @Test
        void aPassedCheckOnABranchMergesTheBranchBeforeTheTaskCompletes() {
            PolicySpec.Verdict v = verified(MergeState.OPEN, List.of()).decide();

            assertThat(v.actions(ActionType.MERGE_BRANCH)).singleElement()
                    .satisfies(a -> assertThat(a.reason()).contains("rulemux/codex/small is merged into team"));
            assertThat(v.transitions()).isEmpty();
        }

        @Test
        void aMergeCutShortIsDoneAgain() {
            PolicySpec.Verdict v = verified(MergeState.MERGING, List.of()).decide();

            assertThat(v.actions(ActionType.MERGE_BRANCH)).singleElement()
                    .satisfies(a -> assertThat(a.reason()).contains("cut short"));
        }

        @Test
        void anAgentThatMergesByHandLeavesTheBranch() {
            PolicySpec.Verdict v = verified(MergeState.OPEN, List.of()).knob("codex", "merge", "manual").decide();

            assertThat(v.actions(ActionType.LEAVE_BRANCH)).singleElement()
                    .satisfies(a -> assertThat(a.reason()).contains("merge: manual"));
            assertThat(v.actions(ActionType.MERGE_BRANCH)).isEmpty();
        }

        @Test
        void aMergedBranchCompletesTheTask() {
            PolicySpec.Verdict v = verified(MergeState.MERGED, List.of()).decide();

            assertThat(moves(v)).containsExactly("small->COMPLETED");
            assertThat(v.transitions().get(0).reason()).contains("rulemux/codex/small was merged into team");
            assertThat(v.actions(ActionType.MERGE_BRANCH)).isEmpty();
        }

        @Test
        void aBranchLeftForAPersonCompletesTheTaskAndIsNamed() {
            PolicySpec.Verdict v = verified(MergeState.LEFT, List.of()).decide();

            assertThat(moves(v)).containsExactly("small->COMPLETED");
            assertThat(v.transitions().get(0).reason()).contains("rulemux/codex/small is left to merge into team");
        }

        @Test
        void aConflictBlocksTheTaskNamingTheFilesAndAlerts() {
            PolicySpec.Verdict v = verified(MergeState.CONFLICT, List.of("src/app.txt")).decide();

            assertThat(moves(v)).containsExactly("small->BLOCKED");
            assertThat(v.transitions().get(0).reason()).contains("conflicts in src/app.txt");
            assertThat(v.actions(ActionType.ALERT)).singleElement()
                    .satisfies(a -> assertThat(a.reason()).contains("src/app.txt", "the branch is kept"));
        }

        @Test
        void aBranchGitCouldNotMergeBlocksTheTaskWithWhatGitSaid() {
            PolicySpec.Verdict v = spec().inState("small", TaskState.VERIFYING, "codex").task("small", t -> with(t, 1, true, null, null, null, null))
                    .verification("small", 1, true, 0, "ok").fact(new Isolated("codex", "team"))
                    .fact(new TaskBranch("small", "codex", "rulemux/codex/small", "team", MergeState.FAILED, List.of(),
                            "the base branch team does not exist")).decide();

            assertThat(moves(v)).containsExactly("small->BLOCKED");
            assertThat(v.actions(ActionType.ALERT)).singleElement()
                    .satisfies(a -> assertThat(a.reason()).contains("the base branch team does not exist"));
        }

        @Test
        void aTaskOnABranchIsNotCompletedByItsCheckAlone() {
            assertThat(verified(MergeState.OPEN, List.of()).decide().rulesFired()).doesNotContain("A task whose check passed is completed");
        }
    }
}
