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
import java.util.regex.Pattern;

/**
 * One long-lived tmux control-mode client ({@code tmux -C attach -f ignore-size,no-output,read-only}), so
 * that the loop's per-tick reads (list the panes, capture each one) cost no process start. It only reads:
 * anything that types into a pane goes through {@link Tmux}'s argv calls. Commands are answered in order,
 * each in a {@code %begin}…{@code %end} block carrying the same numbers, so a screen line that happens to read
 * {@code %end …} cannot end a block early.
 */
final class ControlClient implements AutoCloseable {

    /** Only these command shapes are ever written to the control channel: no text from outside gets in. */
    private static final Pattern SAFE = Pattern.compile("(capture-pane -p -t %\\d+|list-panes -s -t =[A-Za-z0-9_-]+ -F \"[^\"\\n]*\")");

    private record Reply(boolean ok, List<String> lines) {
    }

    private final Process process;
    private final OutputStream stdin;
    private final Deque<CompletableFuture<Reply>> pending = new ArrayDeque<>();
    private volatile boolean closed;

    private ControlClient(Process process) {
        this.process = process;
        this.stdin = process.getOutputStream();
        Thread reader = new Thread(this::read, "tmux-control");
        reader.setDaemon(true);
        reader.start();
        Thread err = new Thread(() -> {
            try {
                process.getErrorStream().transferTo(OutputStream.nullOutputStream());
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
        argv.addAll(List.of("-C", "attach-session", "-t", "=" + session, "-f", "ignore-size,no-output,read-only"));
        ProcessBuilder pb = new ProcessBuilder(argv);
        pb.environment().keySet().removeIf(scrub);
        try {
            ControlClient client = new ControlClient(pb.start());
            // The first answer proves the client is attached and talking.
            client.command("list-panes -s -t =" + session + " -F \"#{pane_id}\"", Tmux.TIMEOUT);
            return Optional.of(client);
        } catch (IOException | TmuxException e) {
            return Optional.empty();
        }
    }

    boolean alive() {
        return !closed && process.isAlive();
    }

    /** Runs one read-only command; returns its output lines. */
    List<String> command(String line, Duration timeout) {
        if (!SAFE.matcher(line).matches()) {
            throw new IllegalArgumentException("not a control-mode read: " + line);
        }
        CompletableFuture<Reply> reply = new CompletableFuture<>();
        synchronized (this) {
            if (!alive()) {
                throw new TmuxException("the tmux control client has ended");
            }
            pending.addLast(reply);
            try {
                stdin.write((line + "\n").getBytes(StandardCharsets.UTF_8));
                stdin.flush();
            } catch (IOException e) {
                pending.remove(reply);
                closed = true;
                throw new TmuxException("the tmux control client has ended: " + e.getMessage());
            }
        }
        try {
            Reply r = reply.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (!r.ok()) {
                throw new TmuxException("tmux " + line + ": " + String.join(" ", r.lines()));
            }
            return r.lines();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TmuxException("interrupted waiting for tmux");
        } catch (ExecutionException e) {
            throw new TmuxException("the tmux control client has ended");
        } catch (TimeoutException e) {
            // The answers are now out of step with the questions: this client cannot be trusted any more.
            close();
            throw new TmuxException("tmux " + line + ": no answer within " + timeout.toMillis() + " ms");
        }
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
