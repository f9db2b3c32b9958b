package dev.rulemux.domain;

/** How much of its context window an agent has used, read from its screen; {@code usedPercent} is 0-100. */
public record ContextMeter(String agent, int usedPercent, String line) implements AboutAgent {
}
