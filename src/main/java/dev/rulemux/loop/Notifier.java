package dev.rulemux.loop;

import dev.rulemux.proc.Exec;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;

/**
 * Runs the team's {@code notify} command (agents.yaml) with a message as its last argument: in the background, so
 * that a slow command never holds up a tick, and one message at a time, in the order they were given (a person
 * reads them in the order things happened). Each run has a timeout; a failure is a warning in the log.
 */
final class Notifier implements AutoCloseable {

    static final Duration TIMEOUT = Duration.ofSeconds(15);

    private final List<String> command;
    private final Path dir;
    private final EventLog log;
    private final ExecutorService runner;

    Notifier(List<String> command, Path dir, EventLog log) {
        this.command = List.copyOf(command);
        this.dir = dir;
        this.log = log;
        this.runner = command.isEmpty() ? null : Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "rulemux-notify");
            t.setDaemon(true);
            return t;
        });
    }

    /** Queues one run of the notify command with {@code text} (nothing when there is no notify command). */
    void send(String text) {
        if (runner == null) {
            return;
        }
        List<String> argv = new ArrayList<>(command);
        argv.add(text);
        try {
            runner.submit(() -> {
                try {
                    Exec.Result r = Exec.run(Exec.Call.of(argv, TIMEOUT).in(dir));
                    if (!r.ok()) {
                        log.warn("the notify command failed: " + r.describe());
                    }
                } catch (RuntimeException e) {
                    log.warn("the notify command could not run: " + e.getMessage());
                }
            });
        } catch (RejectedExecutionException closed) {
            log.warn("not notified (rulemux is stopping): " + text);
        }
    }

    /** Lets the messages already queued go out (the thread is a daemon: it never keeps rulemux alive). */
    @Override
    public void close() {
        if (runner != null) {
            runner.shutdown();
        }
    }
}
