package dev.rulemux.cli;

import dev.rulemux.App;
import dev.rulemux.board.Journal;
import dev.rulemux.store.StateStore;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code rulemux events [--follow] [--since SEQ] [--limit N] [--json]}: the journal. */
@Command(name = "events", mixinStandardHelpOptions = true,
        description = {"Print the journal: every decision, action, transition, report and alert of the runs on this config "
                + "directory, one per line: seq, time, kind, agent, task, what happened.",
                "Without --since, the newest --limit events; with --since SEQ, the first --limit events after SEQ. "
                        + "--follow then keeps printing new events as they come, until interrupted (Ctrl-C)."})
public final class EventsCommand implements Callable<Integer> {

    static final long POLL_MS = 500;
    private static final int PAGE = 1000;

    @Mixin
    ConfigOption config;

    @Option(names = {"-f", "--follow"}, description = "Keep printing new events until interrupted.")
    boolean follow;

    @Option(names = "--since", paramLabel = "SEQ", description = "Only events after this seq.")
    Long since;

    @Option(names = {"-n", "--limit"}, paramLabel = "N", defaultValue = "100",
            description = "At most this many events before following (default ${DEFAULT-VALUE}).")
    int limit;

    @Option(names = "--json", description = "One JSON object per line: seq, at, kind, agent, task, detail.")
    boolean json;

    @Spec
    CommandSpec spec;

    private final App app;

    public EventsCommand(App app) {
        this.app = app;
    }

    @Override
    public Integer call() {
        if (limit < 1) {
            throw new CommandRefused(ExitCodes.BAD_INPUT, "--limit must be at least 1, not " + limit);
        }
        if (since != null && since < 0) {
            throw new CommandRefused(ExitCodes.BAD_INPUT, "--since must be a seq (0 or more), not " + since);
        }
        StateAccess state = StateAccess.of(app, spec, config);
        PrintWriter out = spec.commandLine().getOut();
        try (StateStore store = state.open()) {
            List<Journal.Event> first = since == null ? store.lastEvents(limit) : store.events(since, limit);
            long last = print(out, first, since == null ? 0 : since);
            if (since == null && first.isEmpty()) {
                last = store.mark().lastEvent();
            }
            while (follow && !Thread.currentThread().isInterrupted()) {
                try {
                    Thread.sleep(POLL_MS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
                List<Journal.Event> page;
                do {
                    page = store.events(last, PAGE);
                    last = print(out, page, last);
                } while (page.size() == PAGE);
            }
        }
        return ExitCodes.OK;
    }

    /** Prints {@code events}; returns the seq of the last one printed, or {@code last} when there is none. */
    private long print(PrintWriter out, List<Journal.Event> events, long last) {
        for (Journal.Event e : events) {
            out.println(json ? Views.line(Views.event(e)) : Views.eventLine(e));
            last = e.seq();
        }
        out.flush();
        return last;
    }
}
