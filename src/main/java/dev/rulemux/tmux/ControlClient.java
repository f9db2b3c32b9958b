package dev.rulemux.tmux;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;

/**
 * One long-lived tmux control-mode client ({@code tmux -C attach -f ignore-size,no-output}), so that the loop's
 * per-tick reads (list the panes, capture each one) and its actions (paste, press keys) cost no process start.
 * A command is given as words, as to a process; each word is written double-quoted for tmux's parser
 * ({@link Tmux#quoted}: control characters as octal escapes, so a line is always one command line and no word can
 * become a separator, a variable or a second command). Commands are answered in order, each in a
 * {@code %begin}…{@code %end} block carrying the same numbers, so a screen line that happens to read
 * {@code %end …} cannot end a block early.
 */
final class ControlClient implements AutoCloseable {

    /** tmux answered the command with an error ({@code %error}); the client is fine. */
    static final class Refused extends TmuxException {
        private static final long serialVersionUID = 1L;

        Refused(String message) {
            super(message);
        }
    }

    /** The command was never written (the client had ended): it is safe to run it another way. */
    static final class NotSent extends TmuxException {
        private static final long serialVersionUID = 1L;

        NotSent(String message) {
            super(message);
        }
    }

    private record Reply(boolean ok, List<String> lines) {
    }

    private final Process process;
    private final OutputStream stdin;
    private final Deque<CompletableFuture<Reply>> pending = new ArrayDeque<>();
    private volatile boolean closed;
    /** The last line the client wrote to stderr (why it ended, usually); empty when none. */
    private volatile String lastError = "";
    private final Thread err;

    private ControlClient(Process process) {
        this.process = process;
        this.stdin = process.getOutputStream();
        Thread reader = new Thread(this::read, "tmux-control");
        reader.setDaemon(true);
        reader.start();
        err = new Thread(() -> {
            try (BufferedReader errors = new BufferedReader(new InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = errors.readLine()) != null) {
                    if (!line.isBlank()) {
                        lastError = line.strip();
                    }
                }
            } catch (IOException ignored) {
                // the client ended
            }
        }, "tmux-control-err");
        err.setDaemon(true);
        err.start();
    }

    /** Attaches a control client to {@code session}; empty when that fails (no such session, old tmux). */
    static Optional<ControlClient> attach(List<String> base, String session, Predicate<String> scrub) {
        List<String> argv = new ArrayList<>(base);
        argv.addAll(List.of("-C", "attach-session", "-t", "=" + session, "-f", "ignore-size,no-output"));
        try {
            return Optional.of(start(argv, scrub, List.of("list-panes", "-s", "-t", "=" + session, "-F", "#{pane_id}"),
                    Tmux.TIMEOUT));
        } catch (TmuxException e) {
            return Optional.empty();
        }
    }

    /**
     * Starts the control client {@code argv} (a local tmux, or an ssh client running one on another machine) and
     * asks it {@code probe}: the first answer, within {@code firstReply}, proves it is attached and talking.
     *
     * @throws TmuxException when it cannot be started or gave no answer in time (with what it said on stderr)
     */
    static ControlClient start(List<String> argv, Predicate<String> scrub, List<String> probe, Duration firstReply) {
        ProcessBuilder pb = new ProcessBuilder(argv);
        pb.environment().keySet().removeIf(scrub);
        ControlClient client;
        try {
            client = new ControlClient(pb.start());
        } catch (IOException e) {
            throw new TmuxException(argv.get(0) + " cannot be run: " + e.getMessage());
        }
        try {
            client.command(probe, firstReply);
            return client;
        } catch (TmuxException e) {
            client.drainErrors(Duration.ofSeconds(2));
            client.close();
            throw new TmuxException(e.getMessage() + client.why());
        }
    }

    /** Gives a client that is ending up to {@code wait} to end and to have its last words on stderr read. */
    private void drainErrors(Duration wait) {
        try {
            if (process.waitFor(wait.toMillis(), TimeUnit.MILLISECONDS)) {
                err.join(wait.toMillis());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The last line the client wrote to stderr, or empty. */
    String lastError() {
        return lastError;
    }

    /** The process carrying the client (for tests that cut a link). */
    ProcessHandle process() {
        return process.toHandle();
    }

    boolean alive() {
        return !closed && process.isAlive();
    }

    /**
     * Runs one tmux command, given as words (as to a process, without the program), and returns its output lines.
     *
     * @throws Refused  when tmux answers with an error (its message included)
     * @throws NotSent  when the client had ended before the command was written
     * @throws TmuxException when no answer came within {@code timeout} or the client ended after the command was
     *                  written (whether tmux ran it is then unknown); the client is closed
     */
    List<String> command(List<String> words, Duration timeout) {
        String line = Tmux.commandFile(words);
        CompletableFuture<Reply> reply = new CompletableFuture<>();
        synchronized (this) {
            if (!alive()) {
                throw new NotSent("the tmux control client has ended" + why());
            }
            pending.addLast(reply);
            try {
                stdin.write(line.getBytes(StandardCharsets.UTF_8));
                stdin.flush();
            } catch (IOException e) {
                pending.remove(reply);
                closed = true;
                throw new NotSent("the tmux control client has ended: " + e.getMessage());
            }
        }
        try {
            Reply r = reply.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (!r.ok()) {
                throw new Refused("tmux " + words.get(0) + ": " + String.join(" ", r.lines()));
            }
            return r.lines();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TmuxException("interrupted waiting for tmux");
        } catch (ExecutionException e) {
            throw new TmuxException("tmux " + words.get(0) + ": the tmux control client has ended" + why());
        } catch (TimeoutException e) {
            // The answers are now out of step with the questions: this client cannot be trusted any more.
            close();
            throw new TmuxException("tmux " + words.get(0) + ": no answer within " + timeout.toMillis() + " ms");
        }
    }

    private String why() {
        String error = lastError;
        return error.isEmpty() ? "" : " (" + error + ")";
    }

    private void read() {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            String block = null;
            boolean ours = false;
            List<String> lines = new ArrayList<>();
            while ((line = in.readLine()) != null) {
                if (block == null) {
                    if (line.startsWith("%begin ")) {
                        block = line.substring("%begin ".length());
                        ours = block.endsWith(" 1");
                        lines = new ArrayList<>();
                    } else if (line.startsWith("%exit")) {
                        break;
                    }
                    continue;
                }
                if (line.equals("%end " + block) || line.equals("%error " + block)) {
                    if (ours) {
                        CompletableFuture<Reply> next;
                        synchronized (this) {
                            next = pending.pollFirst();
                        }
                        if (next != null) {
                            next.complete(new Reply(line.startsWith("%end"), lines));
                        }
                    }
                    block = null;
                    continue;
                }
                lines.add(line);
            }
        } catch (IOException ignored) {
            // the client ended
        } finally {
            closed = true;
            synchronized (this) {
                pending.forEach(f -> f.completeExceptionally(new TmuxException("the tmux control client has ended")));
                pending.clear();
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        try {
            stdin.close();
        } catch (IOException ignored) {
            // already gone
        }
        process.destroy();
    }
}
