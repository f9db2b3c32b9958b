package dev.rulemux.domain;

/**
 * An agent that works in a git worktree of its own ({@code isolation: worktree}), on a branch per task made from
 * {@code base}; an agent without this fact works in a shared directory.
 */
public record Isolated(String agent, String base) implements AboutAgent {
}
