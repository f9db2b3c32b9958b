package dev.rulemux.sim;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A private tmux server for one test ({@code tmux -L rulemux-test-<random>}), driven with argv lists and a
 * timeout on every call. Test-only: the product's tmux adapter lives elsewhere.
 */
final class TestTmux implements AutoCloseable {

    static final int WIDTH = 200;
    static final int HEIGHT = 50;
    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(10);

    /** Output and exit code of one tmux call. */
    record Result(int exitCode, String out, String err) {
    }

    private final String socket = "rulemux-test-" + UUID.randomUUID().toString().substring(0, 8);
    /** The server's socket file, learnt once it runs: tmux 3.3a leaves it behind after kill-server. */
    private String socketPath = "";

    /** True when a tmux binary answers {@code -V}. */
    static boolean available() {
        try {
            Process process = new ProcessBuilder("tmux", "-V").redirectErrorStream(true).start();
            return process.waitFor(5, TimeUnit.SECONDS) && process.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    String socket() {
        return socket;
    }

    /** Starts {@code argv} in a new detached 200x50 session, in {@code dir}, with {@code env} added. */
    void newSession(String name, java.nio.file.Path dir, Map<String, String> env, List<String> argv) {
        List<String> args = new ArrayList<>(List.of("new-session", "-d", "-s", name, "-x", Integer.toString(WIDTH),
                "-y", Integer.toString(HEIGHT), "-c", dir.toString()));
        env.forEach((key, value) -> args.addAll(List.of("-e", key + "=" + value)));
        args.add("--");
        args.addAll(argv);
        check(run(args, null));
        if (socketPath.isEmpty()) {
            socketPath = run(List.of("display-message", "-p", "#{socket_path}"), null).out().strip();
        }
    }

    /** The visible pane as plain text (no attributes). */
    String capture(String target) {
        return check(run(List.of("capture-pane", "-p", "-t", target), null)).out();
    }

    /**
     * Delivers a prompt the way that survives the CLIs' paste detection: the text into a named buffer from
     * stdin, pasted as a bracketed paste, a pause, then Enter on its own.
     */
    void deliver(String target, String text) throws InterruptedException {
        String buffer = "rulemux-" + UUID.randomUUID().toString().substring(0, 8);
        check(run(List.of("load-buffer", "-b", buffer, "-"), text));
        check(run(List.of("paste-buffer", "-p", "-d", "-b", buffer, "-t", target), null));
        Thread.sleep(250);
        check(run(List.of("send-keys", "-t", target, "Enter"), null));
    }

    void sendKeys(String target, String... keys) {
        List<String> args = new ArrayList<>(List.of("send-keys", "-t", target));
        args.addAll(List.of(keys));
        check(run(args, null));
    }

    /** Polls the pane until {@code wanted} holds; returns the last capture either way. */
    String waitFor(String target, Predicate<String> wanted, Duration timeout) throws InterruptedException {
        Instant deadline = Instant.now().plus(timeout);
        String screen = capture(target);
        while (!wanted.test(screen) && Instant.now().isBefore(deadline)) {
            Thread.sleep(200);
            screen = capture(target);
        }
        return screen;
    }

    /**
     * Kills the server, then waits for the programs that ran in its panes (and their children) to end, so
     * that they write no more files into a temporary directory about to be deleted.
     */
    @Override
    public void close() {
        List<ProcessHandle> programs = new ArrayList<>();
        Result panes = run(List.of("list-panes", "-a", "-F", "#{pane_pid}"), null);
        for (String line : panes.out().split("\n")) {
            if (line.strip().matches("\\d+")) {
                ProcessHandle.of(Long.parseLong(line.strip())).ifPresent(pane -> {
                    programs.add(pane);
                    pane.descendants().forEach(programs::add);
                });
            }
        }
        run(List.of("kill-server"), null);
        if (!socketPath.isEmpty()) {
            try {
                java.nio.file.Files.deleteIfExists(java.nio.file.Path.of(socketPath));
            } catch (IOException e) {
                // harmless: an empty socket file
            }
        }
        // Gemini CLI outlives the hang-up tmux sends: ask every program to end, then make it.
        programs.forEach(ProcessHandle::destroy);
        for (ProcessHandle program : programs) {
            try {
                program.onExit().get(3, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (Exception e) {
                program.destroyForcibly();
            }
        }
    }

    /**
     * Runs {@code tmux -L socket args…}. The server inherits this environment, minus what makes the CLIs
     * think they run in CI or inside another tmux.
     */
    Result run(List<String> args, String stdin) {
        List<String> argv = new ArrayList<>(List.of("tmux", "-L", socket));
        argv.addAll(args);
        ProcessBuilder builder = new ProcessBuilder(argv);
        Map<String, String> env = builder.environment();
        env.keySet().removeIf(key -> key.equals("CI") || key.startsWith("CI_") || key.equals("CONTINUOUS_INTEGRATION")
                || key.equals("GITHUB_ACTIONS") || key.equals("TMUX") || key.equals("TMUX_PANE"));
        try {
            Process process = builder.start();
            CompletableFuture<String> out = readAsync(process.getInputStream());
            CompletableFuture<String> err = readAsync(process.getErrorStream());
            try (OutputStream in = process.getOutputStream()) {
                if (stdin != null) {
                    in.write(stdin.getBytes(StandardCharsets.UTF_8));
                }
            }
            if (!process.waitFor(CALL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException("tmux " + args + " timed out after " + CALL_TIMEOUT);
            }
            return new Result(process.exitValue(), out.join(), err.join());
        } catch (IOException e) {
            throw new IllegalStateException("cannot run tmux " + args, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted running tmux " + args, e);
        }
    }

    private static Result check(Result result) {
        if (result.exitCode() != 0) {
            throw new IllegalStateException("tmux failed (" + result.exitCode() + "): " + result.err());
        }
        return result;
    }

    private static CompletableFuture<String> readAsync(InputStream stream) {
        return CompletableFuture.supplyAsync(() -> {
            try (stream) {
                return new String(stream.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                return "";
            }
        });
    }
}
