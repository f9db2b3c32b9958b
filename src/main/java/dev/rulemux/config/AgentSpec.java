package dev.rulemux.config;

import dev.rulemux.domain.Answer;
import dev.rulemux.domain.Role;
import dev.rulemux.domain.Tier;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * One agent of {@code agents.yaml}.
 *
 * @param name           unique name; also its tmux window name
 * @param profile        the screen profile of its CLI ({@code profiles/<profile>.yaml})
 * @param command        how to launch it, as an argv list (never run through a shell)
 * @param workdir        where it runs; for an agent on a {@code host}, a directory there, or null for the login's home
 * @param env            extra environment variables
 * @param tier           the task complexity it takes
 * @param backup         the agent that inherits its work on handoff, or null
 * @param role           worker or orchestrator
 * @param approvals      how tool-use approval dialogs are answered
 * @param startupDialogs how startup dialogs are answered
 * @param policy         knob overrides for this agent only
 * @param line           where it is declared
 * @param host           the machine it runs on ({@code user@box} or a {@code ~/.ssh/config} entry), reached over one ssh
 *                       connection per host; null: this machine
 * @param isolation      whether it works in the shared workdir or in a git worktree of its own
 */
public record AgentSpec(String name, String profile, List<String> command, Path workdir, Map<String, String> env,
                        Tier tier, String backup, Role role, Answer approvals, Answer startupDialogs,
                        Map<String, String> policy, int line, String host, Isolation isolation) {

    /** An agent on this machine, in its shared workdir. */
    public AgentSpec(String name, String profile, List<String> command, Path workdir, Map<String, String> env,
                     Tier tier, String backup, Role role, Answer approvals, Answer startupDialogs,
                     Map<String, String> policy, int line) {
        this(name, profile, command, workdir, env, tier, backup, role, approvals, startupDialogs, policy, line, null);
    }

    /** An agent on {@code host} (null: this machine), in its shared workdir. */
    public AgentSpec(String name, String profile, List<String> command, Path workdir, Map<String, String> env,
                     Tier tier, String backup, Role role, Answer approvals, Answer startupDialogs,
                     Map<String, String> policy, int line, String host) {
        this(name, profile, command, workdir, env, tier, backup, role, approvals, startupDialogs, policy, line, host,
                Isolation.NONE);
    }

    /** Whether it runs on another machine ({@link #host}). */
    public boolean remote() {
        return host != null;
    }

    public AgentSpec {
        isolation = isolation == null ? Isolation.NONE : isolation;
        command = List.copyOf(command);
        env = Map.copyOf(env);
        policy = Map.copyOf(policy);
    }
}
