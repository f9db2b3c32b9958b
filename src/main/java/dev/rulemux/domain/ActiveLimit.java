package dev.rulemux.domain;

/**
 * A limit on an agent's screen that no later finished turn has made history: the agent's last turn ended in
 * it (or it is retrying under it).
 */
public record ActiveLimit(String agent, String line, String resets) implements AboutAgent {
}
