package dev.rulemux.domain;

/** The status the policy gave an agent this tick, with the evidence that decided it. */
public record AgentStatus(String agent, Status status, String reason) implements AboutAgent {
}
