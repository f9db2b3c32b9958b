package dev.rulemux.domain;

/** The status an agent had at the last tick, and how long it has had it (for policies about lasting states). */
public record StatusSince(String agent, Status status, long forMs) implements AboutAgent {
}
