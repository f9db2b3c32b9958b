package dev.rulemux.domain;

/**
 * The newest event an agent's CLI reported through its own hook ({@code rulemux hook EVENT}), as a fact: evidence of
 * its status beside its screen's (rules/status.drl weighs the two).
 *
 * @param agent the agent whose CLI ran the hook
 * @param kind  what the event means
 * @param event the CLI's own name for it ({@code Stop}, {@code agent-turn-complete}, …)
 * @param atMs  when the hook ran, epoch ms (an instant, so the fact stays the same from one tick to the next)
 */
public record HookEvent(String agent, HookKind kind, String event, long atMs) implements AboutAgent {

    /** The status it is evidence of, ({@link HookKind#status}). */
    public Status status() {
        return kind.status();
    }

    /** How long ago it happened at {@code nowMs} (0 for a clock that went back). */
    public long msAgo(long nowMs) {
        return Math.max(0, nowMs - atMs);
    }
}
