package dev.rulemux.domain;

/**
 * rulemux restarted {@code agent}'s CLI at {@code atMs} (epoch ms; the policy counts them in a window, measured
 * against the tick's {@link Now}).
 */
public record Restart(String agent, long atMs) implements AboutAgent {

    /** How long ago it happened at {@code nowMs}. */
    public long msAgo(long nowMs) {
        return Math.max(0, nowMs - atMs);
    }
}
