package dev.rulemux.cli;

import dev.rulemux.App;
import dev.rulemux.board.Journal;
import dev.rulemux.board.TaskRecord;
import dev.rulemux.domain.ReportOutcome;
import dev.rulemux.store.StateStore;
import java.io.PrintWriter;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code rulemux report done|blocked TASK [--note TEXT]}: an agent (or a person) tells rulemux how a task went. */
@Command(name = "report", mixinStandardHelpOptions = true,
        description = {"Report that a task is done, or that it is blocked and needs a person. The running loop acts on "
                + "the report at its next tick, as the policy decides (rules/reports.drl): a task done is completed, or "
                + "verified first when it has a verify command; a blocked task waits for rulemux task retry.",
                "Run from an agent's shell it needs no options: the agent's environment has RULEMUX_CONFIG and RULEMUX_AGENT."})
public final class ReportCommand implements Callable<Integer> {

    @Mixin
    ConfigOption config;

    @Parameters(index = "0", paramLabel = "done|blocked")
    String outcome;

    @Parameters(index = "1", paramLabel = "TASK")
    String task;

    @Option(names = "--note", paramLabel = "TEXT", description = "One line: what was done, or what blocks.")
    String note;

    @Spec
    CommandSpec spec;

    private final App app;

    public ReportCommand(App app) {
        this.app = app;
    }

    @Override
    public Integer call() {
        ReportOutcome how = switch (outcome.toLowerCase(Locale.ROOT)) {
            case "done" -> ReportOutcome.DONE;
            case "blocked" -> ReportOutcome.BLOCKED;
            default -> throw new CommandRefused(ExitCodes.BAD_INPUT, "report done or blocked, not \"" + outcome + "\"");
        };
        StateAccess state = StateAccess.of(app, spec, config);
        String agent = state.agent();
        PrintWriter out = spec.commandLine().getOut();
        try (StateStore store = state.open()) {
            TaskRecord r = state.task(store, task);
            long now = app.clock().millis();
            String text = note == null ? "" : note.strip().replaceAll("\\s*\\R\\s*", " ");
            store.report(task, how, text, agent, now);
            store.event(Journal.Kind.INFO, agent, task, (agent == null ? "a report" : agent + " reports") + " " + task + " "
                    + Views.lower(how) + (text.isEmpty() ? "" : ": " + text) + " (received; the loop acts on it at its next tick)");
            state.statusChanged(store);
            long lastLook = StateAccess.lastLoopLook(store);
            out.printf("reported %s %s (it is %s)%s; %s%n", task, Views.lower(how), r.state().name(),
                    agent == null ? "" : " as " + agent, StateAccess.loopRunning(lastLook, now)
                            ? "the running loop acts on it at its next tick"
                            : "but " + StateAccess.noLoop(lastLook, now) + ": nothing acts on it until one starts (rulemux run)");
        }
        return ExitCodes.OK;
    }
}
