package dev.rulemux.domain;

import java.util.Locale;

/**
 * What the policy can ask rulemux to do. The wire name ({@code send_prompt}) is what users read and write.
 * {@code NEEDS_INPUT} is an alert of its own kind: the team waits for a person (an approval asked of a person, a
 * task reported blocked), and the person is told at once through {@code notify}, apart from other alerts.
 */
public enum ActionType {
    SEND_PROMPT, PRESS_ENTER, ANSWER_DIALOG, INTERRUPT, NUDGE, PREPARE_HANDOFF, HANDOFF, RESTART_AGENT, ALERT, NEEDS_INPUT,
    /** Merge a task's branch into its base (git, not the pane). */
    MERGE_BRANCH,
    /** Leave a task's branch for a person to merge (git, not the pane). */
    LEAVE_BRANCH;

    /** Whether carrying it out types into or acts on the agent's pane (an alert only tells a person). */
    public boolean touchesPane() {
        return this != ALERT && this != NEEDS_INPUT && !gitWork();
    }

    /** True for the actions carried out in git (a task's branch), not in the agent's pane. */
    public boolean gitWork() {
        return this == MERGE_BRANCH || this == LEAVE_BRANCH;
    }

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static ActionType fromWireName(String name) {
        return valueOf(name.trim().toUpperCase(Locale.ROOT));
    }
}
