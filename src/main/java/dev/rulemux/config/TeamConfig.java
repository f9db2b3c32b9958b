package dev.rulemux.config;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * {@code agents.yaml}: the tmux session and the agents in it.
 *
 * @param file    where it was read from
 * @param session the tmux session name
 * @param socket  the tmux server socket name ({@code tmux -L}), or null for the default server
 * @param notifyCommand a command run with each alert's text as its last argument, or empty
 * @param agents  the agents, in file order
 * @param retention how much a run keeps of its logs, prompt files and journal
 * @param sshConfig the ssh client configuration the connections to the agents' hosts read ({@code ssh -F}), or null
 *                  for the user's own ({@code ~/.ssh/config})
 */
public record TeamConfig(Path file, String session, String socket, List<String> notifyCommand, List<AgentSpec> agents,
                         Retention retention, Path sshConfig) {

    public TeamConfig(Path file, String session, String socket, List<String> notifyCommand, List<AgentSpec> agents,
                      Retention retention) {
        this(file, session, socket, notifyCommand, agents, retention, null);
    }

    public TeamConfig {
        notifyCommand = List.copyOf(notifyCommand);
        agents = List.copyOf(agents);
    }

    /** The hosts the agents run on besides this machine, in the order they are first named. */
    public List<String> hosts() {
        return agents.stream().map(AgentSpec::host).filter(java.util.Objects::nonNull).distinct().toList();
    }

    public Optional<AgentSpec> agent(String name) {
        return agents.stream().filter(a -> a.name().equals(name)).findFirst();
    }
}
