package dev.rulemux.cli;

import dev.rulemux.App;
import dev.rulemux.config.Config;
import dev.rulemux.loop.EventLog;
import dev.rulemux.board.Journal;
import dev.rulemux.board.MemoryTaskBoard;
import dev.rulemux.board.ResilientBoard;
import dev.rulemux.board.TaskBoard;
import dev.rulemux.board.TaskRecord;
import dev.rulemux.store.StateStore;
import dev.rulemux.store.StatusDocument;
import dev.rulemux.loop.RunLoop;
import dev.rulemux.rules.LivePolicy;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code rulemux run}: rulemux's main job — watch the team, let the policy decide, carry it out. */
@Command(name = "run", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Start the team if needed, then each tick capture every pane, let the policy decide and carry out "
                + "its actions: dispatch tasks, press Enter on unsubmitted prompts, answer dialogs, nudge stuck agents.",
                "Edits to rules/, profiles/, prompts/ and tasks.yaml take effect at the next tick (a broken edit is "
                        + "reported and the previous version keeps running). Ctrl-C stops rulemux and leaves the agents running.",
                "Logs: logs/orchestration.log, logs/monitor.log, logs/dispatch.log under the config directory."})
public final class RunCommand implements Callable<Integer> {

    /** How often a run rewrites {@code ORCHESTRATION_STATUS.md} at most (when the state changed), and once at its end. */
    static final long DOCUMENT_EVERY_MS = 1_000;

    @Mixin
    ConfigOption config;

    @Option(names = "--dry-run", description = "Capture and decide, but send nothing and start nothing: print each decided action once, when it first appears.")
    boolean dryRun;

    @Option(names = "--exit-when-done", description = "Exit (code 0) once no task is pending or in flight.")
    boolean exitWhenDone;

    @Option(names = "--interval-ms", paramLabel = "MS", defaultValue = "250",
            description = "Time between ticks in milliseconds (default ${DEFAULT-VALUE}).")
    long intervalMs;

    @Option(names = "--max-time", paramLabel = "DURATION", description = "Stop after this long (e.g. 30m).")
    String maxTime;

    @Spec
    CommandSpec spec;

    private final App app;

    public RunCommand(App app) {
        this.app = app;
    }

    /** What the store would hold once tasks.yaml is declared, without writing it (for a dry run). */
    private static java.util.List<TaskRecord> declared(StateStore store, Config cfg, java.time.Clock clock) {
        MemoryTaskBoard copy = MemoryTaskBoard.copyOf(store.records(), clock);
        copy.declare(cfg.tasks());
        return copy.records();
    }

    @Override
    public Integer call() throws Exception {
        if (intervalMs < 20) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--interval-ms must be at least 20");
        }
        PrintWriter out = spec.commandLine().getOut();
        Config cfg = app.loadConfigAndPolicy(config.dir());
        Views.warnTrustedWorkdirs(spec.commandLine().getErr(), cfg);
        RunLoop.Options options = new RunLoop.Options(dryRun, exitWhenDone, Duration.ofMillis(intervalMs),
                Duration.ofSeconds(3), java.util.Set.of(), false,
                maxTime == null ? null : dev.rulemux.domain.Durations.parse(maxTime));
        try (StateStore store = app.store(cfg);
             ResilientBoard steady = store.resilient();
             TaskBoard board = dryRun ? MemoryTaskBoard.copyOf(declared(store, cfg, app.clock()), app.clock()) : steady;
             LivePolicy policy = app.livePolicy(cfg);
             EventLog log = app.eventLog(cfg.dir().resolve("logs"), out, System.console() != null,
                     dryRun ? Journal.NONE : steady, cfg.team().retention());
             RunLoop loop = app.loop(cfg, policy, app.team(cfg), board, log, options)) {
            // the config of the last tick, whose status document is written once more when the loop ends
            java.util.concurrent.atomic.AtomicReference<Config> lastTicked = new java.util.concurrent.atomic.AtomicReference<>();
            java.util.function.Consumer<Config> writeDocument = current -> { };
            if (!dryRun) {
                steady.declare(cfg.tasks());
                // a tick waits briefly for another writer; a busy lock skips this rewrite (the next tick tries again), said once
                StatusDocument document = new StatusDocument().waitingAtMost(Duration.ofMillis(500));
                java.util.concurrent.atomic.AtomicBoolean lockWarned = new java.util.concurrent.atomic.AtomicBoolean();
                writeDocument = current -> {
                    try {
                        document.writeIfChanged(store, current);
                        lockWarned.set(false);
                    } catch (StatusDocument.LockBusy e) {
                        if (!lockWarned.getAndSet(true)) {
                            log.warn(e.getMessage());
                        }
                    }
                };
                java.util.function.Consumer<Config> write = writeDocument;
                long[] written = {Long.MIN_VALUE / 2};
                loop.afterEachTick(current -> {
                    lastTicked.set(current);
                    // at most once a DOCUMENT_EVERY_MS: a busy team changes the state every tick, and each change had
                    // the whole document (the queue, the log, the agents) read and rendered again
                    long now = app.clock().millis();
                    if (now - written[0] >= DOCUMENT_EVERY_MS) {
                        written[0] = now;
                        write.accept(current);
                    }
                });
            }
            CountDownLatch finished = new CountDownLatch(1);
            Thread hook = new Thread(() -> {
                loop.stop();
                try {
                    finished.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, "rulemux-stop");
            Runtime.getRuntime().addShutdownHook(hook);
            try {
                return loop.run();
            } finally {
                if (lastTicked.get() != null) {
                    writeDocument.accept(lastTicked.get()); // the state the loop ended on
                }
                finished.countDown();
                try {
                    Runtime.getRuntime().removeShutdownHook(hook);
                } catch (IllegalStateException shuttingDown) {
                    // Ctrl-C: the hook is running and waits for this
                }
            }
        }
    }
}
