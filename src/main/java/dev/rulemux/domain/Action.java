package dev.rulemux.domain;

import java.util.List;

/**
 * A decision of the policy: something rulemux should do to an agent, and why. Rules insert actions; Java
 * carries them out (or, in a dry run, prints them).
 *
 * @param type   what to do
 * @param agent  the agent it is done to
 * @param task   the task concerned, or null
 * @param target the other agent involved (the backup of a handoff), or null
 * @param keys   the tmux key names to press (for {@code answer_dialog}), or empty
 * @param reason why, in words a user can check against the screen
 */
public record Action(ActionType type, String agent, String task, String target, List<String> keys, String reason) implements AboutAgent {

    public Action {
        keys = keys == null ? List.of() : List.copyOf(keys);
    }

    public static Action sendPrompt(String agent, String task, String reason) {
        return new Action(ActionType.SEND_PROMPT, agent, task, null, List.of(), reason);
    }

    public static Action pressEnter(String agent, String task, String reason) {
        return new Action(ActionType.PRESS_ENTER, agent, task, null, List.of(), reason);
    }

    public static Action answerDialog(String agent, String task, List<String> keys, String reason) {
        return new Action(ActionType.ANSWER_DIALOG, agent, task, null, keys, reason);
    }

    public static Action interrupt(String agent, String task, String reason) {
        return new Action(ActionType.INTERRUPT, agent, task, null, List.of(), reason);
    }

    public static Action nudge(String agent, String task, String reason) {
        return new Action(ActionType.NUDGE, agent, task, null, List.of(), reason);
    }

    public static Action prepareHandoff(String agent, String task, String reason) {
        return new Action(ActionType.PREPARE_HANDOFF, agent, task, null, List.of(), reason);
    }

    public static Action handoff(String agent, String task, String target, String reason) {
        return new Action(ActionType.HANDOFF, agent, task, target, List.of(), reason);
    }

    public static Action restartAgent(String agent, String task, String reason) {
        return new Action(ActionType.RESTART_AGENT, agent, task, null, List.of(), reason);
    }

    public static Action alert(String agent, String task, String reason) {
        return new Action(ActionType.ALERT, agent, task, null, List.of(), reason);
    }

    /** A person is needed (an approval, a blocked task): told at once, apart from other alerts. */
    public static Action needsInput(String agent, String task, String reason) {
        return new Action(ActionType.NEEDS_INPUT, agent, task, null, List.of(), reason);
    }

    /** Merge {@code task}'s branch (in {@code agent}'s worktree) into its base. */
    public static Action mergeBranch(String agent, String task, String reason) {
        return new Action(ActionType.MERGE_BRANCH, agent, task, null, List.of(), reason);
    }

    /** Leave {@code task}'s branch for a person to merge, and list it. */
    public static Action leaveBranch(String agent, String task, String reason) {
        return new Action(ActionType.LEAVE_BRANCH, agent, task, null, List.of(), reason);
    }
}
