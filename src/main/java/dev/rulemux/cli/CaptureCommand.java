package dev.rulemux.cli;

import dev.rulemux.App;
import dev.rulemux.config.Config;
import dev.rulemux.loop.Team;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code rulemux capture AGENT}: the agent's screen as plain text (what {@code decide --screen} reads). */
@Command(name = "capture", mixinStandardHelpOptions = true,
        description = "Print an agent's screen as plain text, as the policy sees it. Save it to test a rule with decide --screen.")
public final class CaptureCommand implements Callable<Integer> {

    @Mixin
    ConfigOption config;

    @Parameters(index = "0", paramLabel = "AGENT")
    String agent;

    @Spec
    CommandSpec spec;

    private final App app;

    public CaptureCommand(App app) {
        this.app = app;
    }

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        Config cfg = app.loadConfig(config.dir());
        AgentArg.spec(spec.commandLine(), cfg, agent);
        Team team = app.team(cfg);
        out.print(team.terminal().capture(AgentArg.pane(team, agent).id()));
        out.flush();
        return ExitCodes.OK;
    }
}
