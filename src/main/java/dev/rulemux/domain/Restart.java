package dev.rulemux.domain;

/** rulemux restarted {@code agent}'s CLI {@code msAgo} milliseconds ago (the policy counts them in a window). */
public record Restart(String agent, long msAgo) implements AboutAgent {
}
