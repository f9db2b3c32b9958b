package dev.rulemux.domain;

/**
 * The status an agent had at the last tick, and since when (epoch ms), for policies about lasting states. An
 * instant, not an age: the fact stays the same while the status holds; rules measure {@link #forMs} against
 * the tick's {@link Now}.
 */
public record StatusSince(String agent, Status status, long sinceMs) implements AboutAgent {

    /** How long the agent has had its status at {@code nowMs}. */
    public long forMs(long nowMs) {
        return Math.max(0, nowMs - sinceMs);
    }
}
