package dev.rulemux.domain;

/**
 * Where an agent works, as rules/isolation.drl concludes it from {@link Isolated}: in a worktree of its own or in
 * the shared checkout. Dispatch gives an agent only tasks that may be done there ({@link Task#takenIn}).
 */
public record Workspace(String agent, IsolationMode mode) implements AboutAgent {
}
