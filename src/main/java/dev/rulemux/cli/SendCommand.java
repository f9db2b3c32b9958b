package dev.rulemux.cli;

import dev.rulemux.App;
import dev.rulemux.config.AgentSpec;
import dev.rulemux.config.Config;
import dev.rulemux.loop.ManualSend;
import dev.rulemux.loop.Team;
import dev.rulemux.rules.PolicyEngine;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code rulemux send AGENT TEXT|--file F}: one prompt, delivered and submitted as the loop does it. */
@Command(name = "send", mixinStandardHelpOptions = true,
        description = {"Type a prompt into an agent and make sure it is submitted: pasted through a tmux buffer "
                + "(byte for byte, never as keys), Enter pressed after the profile's delay, and pressed again while the "
                + "draft sits unsubmitted. The text is never typed twice.",
                "Exit code 0 when the agent took it, 1 when it stayed unsubmitted or nothing could be told."})
public final class SendCommand implements Callable<Integer> {

    @Mixin
    ConfigOption config;

    @Parameters(index = "0", paramLabel = "AGENT")
    String agent;

    @Parameters(index = "1", arity = "0..1", paramLabel = "TEXT", description = "The prompt (or use --file).")
    String text;

    @Option(names = "--file", paramLabel = "FILE", description = "Read the prompt from FILE (UTF-8).")
    Path file;

    @Option(names = "--watch", paramLabel = "DURATION", defaultValue = "20s",
            description = "How long to watch for the agent taking the prompt (default ${DEFAULT-VALUE}).")
    String watch;

    @Spec
    CommandSpec spec;

    private final App app;

    public SendCommand(App app) {
        this.app = app;
    }

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        Config cfg = app.loadConfigAndPolicy(config.dir());
        AgentSpec target = AgentArg.spec(spec.commandLine(), cfg, agent);
        if ((text == null) == (file == null)) {
            throw new ParameterException(spec.commandLine(), "give the prompt as TEXT or with --file, not both");
        }
        String prompt = text != null ? text : read(file);
        if (prompt.isBlank()) {
            throw new ParameterException(spec.commandLine(), "the prompt is empty");
        }
        Team team = app.team(cfg);
        try (PolicyEngine policy = app.compilePolicy(cfg)) {
            ManualSend.Result r = new ManualSend(cfg, policy, team.terminal(), app.clock(), app.sleeper())
                    .send(target, AgentArg.pane(team, agent), prompt, dev.rulemux.domain.Durations.parse(watch));
            out.printf("%s: %s (Enter pressed %d time%s): %s%n", agent, r.outcome().name().toLowerCase(java.util.Locale.ROOT),
                    r.enterPresses(), r.enterPresses() == 1 ? "" : "s", dev.rulemux.text.TerminalText.line(r.detail()));
            return r.outcome() == ManualSend.Outcome.SUBMITTED || r.outcome() == ManualSend.Outcome.TAKEN
                    ? ExitCodes.OK : ExitCodes.FAILURE;
        }
    }

    private String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new ParameterException(spec.commandLine(), "--file " + file + ": cannot read it (" + e.getMessage() + ")");
        }
    }
}
