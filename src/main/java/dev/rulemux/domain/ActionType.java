package dev.rulemux.domain;

import java.util.Locale;

/** What the policy can ask rulemux to do. The wire name ({@code send_prompt}) is what users read and write. */
public enum ActionType {
    SEND_PROMPT, PRESS_ENTER, ANSWER_DIALOG, INTERRUPT, NUDGE, PREPARE_HANDOFF, HANDOFF, RESTART_AGENT, ALERT;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static ActionType fromWireName(String name) {
        return valueOf(name.trim().toUpperCase(Locale.ROOT));
    }
}
