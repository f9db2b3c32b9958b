package dev.rulemux.cli;

import dev.rulemux.sim.SimAgent;
import dev.rulemux.sim.SimAgentModel;
import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code rulemux sim-agent}: the simulated coding agent, run in a terminal (a tmux pane). */
@Command(name = "sim-agent", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"A simulated coding-agent CLI for demos and tests: an input box, paste detection, a spinner with "
                + "'esc to interrupt', a finished line, a context meter, approval dialogs, stalls, API errors and a usage "
                + "limit, all scripted from the prompt with [mock …] directives (work=5s tokens=N tool=shell status=429 "
                + "limit=usage stall reply=…).",
                "Run it in a terminal; its profile is profiles/sim-agent.yaml."})
public final class SimAgentCommand implements Callable<Integer> {

    @Option(names = "--name", defaultValue = "sim", description = "Name shown in its banner (default ${DEFAULT-VALUE}).")
    String name;

    @Option(names = "--context-window", paramLabel = "TOKENS", defaultValue = "200000",
            description = "Tokens its context meter counts against (default ${DEFAULT-VALUE}).")
    long contextWindow;

    @Option(names = "--paste-grace-ms", paramLabel = "MS", defaultValue = "100",
            description = "An Enter arriving this soon after a paste is a newline, not a submit (default ${DEFAULT-VALUE}).")
    long pasteGraceMs;

    @Option(names = "--limit-reset", paramLabel = "DURATION", defaultValue = "30s",
            description = "How long a usage limit lasts (default ${DEFAULT-VALUE}).")
    String limitReset;

    @Option(names = "--log", paramLabel = "FILE", description = "Append every prompt received to FILE as JSON lines.")
    Path log;

    @Override
    public Integer call() {
        SimAgentModel.Options options = new SimAgentModel.Options(name, contextWindow, java.time.Duration.ofMillis(pasteGraceMs),
                dev.rulemux.domain.Durations.parse(limitReset), log == null ? null : log.toAbsolutePath());
        return new SimAgent(options, new FileInputStream(FileDescriptor.in), new FileOutputStream(FileDescriptor.out)).run();
    }
}
