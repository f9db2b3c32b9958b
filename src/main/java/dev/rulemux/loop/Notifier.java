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
 * that a slow command never holds up a tick, and one message at a time per lane, in the order they were given (a
 * person reads them in the order things happened). "Needs input" messages have a lane of their own, so that they
 * go out at once even while ordinary alerts are queued behind a slow command. Each run has a timeout; a failure is
 * a warning in the log.
 */
final class Notifier implements AutoCloseable {

    static final Duration TIMEOUT = Duration.ofSeconds(15);

    private final List<String> command;
    private final Path dir;
    private final EventLog log;
    private final ExecutorService alerts;
    private final ExecutorService needsInput;

    Notifier(List<String> command, Path dir, EventLog log) {
        this.command = List.copyOf(command);
        this.dir = dir;
        this.log = log;
        this.alerts = lane("rulemux-notify");
        this.needsInput = lane("rulemux-notify-input");
    }

    private ExecutorService lane(String name) {
        return command.isEmpty() ? null : Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        });
    }

    /** Queues one run of the notify command with the text of an alert (nothing when there is no notify command). */
    void send(String text) {
        send(alerts, text);
    }

    /** Queues one run of the notify command that tells a person their input is needed, apart from the alerts. */
    void sendNeedsInput(String text) {
        send(needsInput, text);
    }

    private void send(ExecutorService runner, String text) {
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
        if (alerts != null) {
            alerts.shutdown();
            needsInput.shutdown();
        }
    }
}
