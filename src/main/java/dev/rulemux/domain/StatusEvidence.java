package dev.rulemux.domain;

/**
 * One reason to believe an agent has a status. Classification rules insert evidence; the strongest
 * (highest {@code rank}) becomes the agent's {@link AgentStatus}.
 */
public record StatusEvidence(String agent, Status status, int rank, String reason) implements AboutAgent {
}
