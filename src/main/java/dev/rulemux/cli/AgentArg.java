package dev.rulemux.cli;

import dev.rulemux.config.AgentSpec;
import dev.rulemux.config.Config;
import dev.rulemux.loop.Team;
import dev.rulemux.terminal.Pane;
import picocli.CommandLine;
import picocli.CommandLine.ParameterException;

/** Resolves an agent name given on the command line to its spec and its live pane, with clear errors. */
final class AgentArg {

    private AgentArg() {
    }

    static AgentSpec spec(CommandLine cli, Config config, String name) {
        return config.team().agent(name).orElseThrow(() -> new ParameterException(cli, "no agent named " + name
                + " in agents.yaml (agents: " + String.join(", ", config.team().agents().stream().map(AgentSpec::name).toList()) + ")"));
    }

    static Pane pane(Team team, String name) {
        Pane pane = team.panes().get(name);
        if (pane == null) {
            throw new IllegalStateException("agent " + name + " has no window in tmux session " + team.session()
                    + " (start the team with rulemux start)");
        }
        return pane;
    }
}
