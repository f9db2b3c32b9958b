package dev.rulemux.cli;

import dev.rulemux.App;
import dev.rulemux.config.AgentSpec;
import dev.rulemux.config.Config;
import dev.rulemux.loop.Health;
import dev.rulemux.rules.PolicyEngine;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code rulemux health}: is the team there, alive, running its CLIs, and in what state. */
@Command(name = "health", mixinStandardHelpOptions = true,
        description = {"Check that the tmux session and every agent window exist, that each pane is alive and runs its CLI "
                + "(not a bare shell), and show each agent's status.",
                "Exit code 1 when something is wrong (missing, dead, exited, stuck, unknown)."})
public final class HealthCommand implements Callable<Integer> {

    @Mixin
    ConfigOption config;

    @Spec
    CommandSpec spec;

    private final App app;

    public HealthCommand(App app) {
        this.app = app;
    }

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        Config cfg = app.loadConfigAndPolicy(config.dir());
        try (PolicyEngine policy = app.compilePolicy(cfg)) {
            Health.Report report = new Health(cfg, policy, app.team(cfg), app.clock()).check();
            out.println(report.session());
            int width = cfg.team().agents().stream().mapToInt(a -> a.name().length()).max().orElse(5);
            for (AgentSpec a : cfg.team().agents()) {
                Health.AgentHealth h = report.agents().get(a.name());
                out.printf("%-" + width + "s  %-4s  %-17s  %s%n", a.name(), h.ok() ? "ok" : "FAIL", h.status(), dev.rulemux.text.TerminalText.line(h.detail()));
            }
            for (Health.HostHealth host : report.hosts()) {
                out.println("host " + host.host() + ": " + (host.reachable()
                        ? "reachable, " + host.latencyMs() + " ms, " + (host.tmux().isEmpty() ? "tmux ?" : host.tmux())
                        : "DOWN (" + dev.rulemux.text.TerminalText.line(host.problem()) + ")")
                        + ", agents: " + String.join(", ", host.agents()));
            }
            out.println(report.ok() && report.hosts().stream().allMatch(Health.HostHealth::reachable) ? "healthy" : "unhealthy");
            return report.ok() && report.hosts().stream().allMatch(Health.HostHealth::reachable) ? ExitCodes.OK : ExitCodes.FAILURE;
        }
    }
}
