package dev.rulemux.domain;

import java.util.Locale;
import java.util.Optional;

/**
 * What an agent CLI's own event hook said, as rulemux understands it: the CLIs' event names (Claude Code's
 * {@code Stop}, Codex's {@code agent-turn-complete}, …) mapped to the few things the policy cares about.
 */
public enum HookKind {
    /** A prompt was submitted: a turn begins (Claude Code {@code UserPromptSubmit}, Gemini CLI {@code BeforeAgent}). */
    PROMPT_SUBMITTED,
    /** The turn ended: the agent waits for input (Claude Code {@code Stop}, Codex {@code agent-turn-complete}, Gemini CLI
     * {@code AfterAgent}). */
    TURN_ENDED,
    /** The CLI asks a person to approve a tool (Claude Code {@code Notification} of a permission prompt). */
    NEEDS_APPROVAL,
    /** The CLI started, or resumed, a session (Claude Code {@code SessionStart}). */
    SESSION_STARTED,
    /** The CLI is compacting its context (Claude Code {@code PreCompact}, Gemini CLI {@code PreCompress}). */
    COMPACTING;

    /** The status this event is evidence of: a CLI that started a session, or ended a turn, waits for input. */
    public Status status() {
        return switch (this) {
            case PROMPT_SUBMITTED, COMPACTING -> Status.WORKING;
            case TURN_ENDED, SESSION_STARTED -> Status.IDLE;
            case NEEDS_APPROVAL -> Status.AWAITING_APPROVAL;
        };
    }

    /** Whether the event shows the CLI took a prompt (a session that started does not). */
    public boolean showsAWorkingTurn() {
        return this != SESSION_STARTED;
    }

    /**
     * The kind of a CLI's event name, as {@code rulemux hook EVENT} is given it: Claude Code's hook event names, Codex's
     * notify type, Gemini CLI's hook event names, and {@code PermissionPrompt} (the Notification hook rulemux registers
     * for permission prompts only, in Claude Code and in Gemini CLI).
     */
    public static Optional<HookKind> ofEvent(String event) {
        if (event == null) {
            return Optional.empty();
        }
        return Optional.ofNullable(switch (event.toLowerCase(Locale.ROOT)) {
            case "userpromptsubmit", "beforeagent" -> PROMPT_SUBMITTED;
            case "stop", "agent-turn-complete", "afteragent" -> TURN_ENDED;
            case "permissionprompt" -> NEEDS_APPROVAL;
            case "sessionstart" -> SESSION_STARTED;
            case "precompact", "precompress" -> COMPACTING;
            default -> null;
        });
    }
}
