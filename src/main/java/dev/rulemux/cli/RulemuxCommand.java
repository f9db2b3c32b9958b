package dev.rulemux.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** The top-level {@code rulemux} command: it only lists the subcommands. */
@Command(name = "rulemux", mixinStandardHelpOptions = true, versionProvider = Version.class,
        description = "Runs a team of AI coding-agent CLIs in tmux and keeps them busy, by a policy written in DRL.",
        subcommands = {ValidateCommand.class, DecideCommand.class, StartCommand.class, RunCommand.class, StopCommand.class,
                HealthCommand.class, SendCommand.class, CaptureCommand.class, ReportCommand.class, TaskCommand.class,
                StatusCommand.class, EventsCommand.class, WatchCommand.class, ServeCommand.class, ExportCommand.class,
                SimAgentCommand.class, RecordScreensCommand.class, BenchCommand.class, DemoCommand.class,
                HookCommand.class})
public final class RulemuxCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "name a command (see rulemux --help)");
    }
}
