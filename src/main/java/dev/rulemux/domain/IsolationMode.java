package dev.rulemux.domain;

import java.util.Locale;

/**
 * Where work is done: in the shared checkout ({@code isolation: none}) or in a git worktree of an agent's own
 * ({@code isolation: worktree}). An agent works in one of them; a task may ask for one.
 */
public enum IsolationMode {
    /** The shared checkout (the user's working tree, every agent without a worktree). */
    NONE,
    /** A git worktree of the agent's own, a branch per task merged back. */
    WORKTREE;

    /** Lower-case name, as written in YAML and printed. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** How a person reads it: "in a worktree", "in the shared checkout". */
    public String where() {
        return this == WORKTREE ? "in a worktree" : "in the shared checkout";
    }
}
