package dev.rulemux.config;

import java.util.List;

/**
 * Where an agent works ({@code isolation:} in {@code agents.yaml}): in the shared {@code workdir} (today's
 * behaviour, the default), or in a git worktree of its own, made from the repository {@code workdir} is in.
 *
 * @param mode    none or worktree
 * @param base    the branch each task's branch starts from and is merged back into (required with a worktree; made
 *                from the commit checked out in {@code workdir} when missing); null without a worktree
 * @param include untracked files (paths or globs, relative to the repository) copied into the worktree when it is
 *                made, such as {@code .env}; empty: those listed in the repository's {@code .worktreeinclude}, if any
 * @param setup   a command run once in a new worktree (argv, no shell), or empty
 */
public record Isolation(Mode mode, String base, List<String> include, List<String> setup) {

    /** How an agent is isolated. */
    public enum Mode {
        /** In the shared workdir. */
        NONE,
        /** In a git worktree of its own, a branch per task. */
        WORKTREE
    }

    /** The default: the agent works in its workdir, shared. */
    public static final Isolation NONE = new Isolation(Mode.NONE, null, List.of(), List.of());

    public Isolation {
        include = List.copyOf(include);
        setup = List.copyOf(setup);
    }

    public boolean worktree() {
        return mode == Mode.WORKTREE;
    }
}
