package dev.rulemux.proc;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;

/**
 * Runs a program to completion: argv list, optional stdin, working directory, extra environment, timeout. All of its
 * output is read, and at most the last {@link #MAX_OUTPUT_BYTES} of each stream kept. A program that takes too long is
 * ended with everything it started; a {@link Call#endingItsProcesses() call that asks for it} also has whatever it left
 * running ended when it finishes (a verify command's servers and watchers).
 */
public final class Exec {

    /** How much of each of a program's outputs is kept: the tail, the rest is read and dropped. */
    public static final int MAX_OUTPUT_BYTES = 64 * 1024;
    /** How long the processes being ended get to exit on SIGTERM before they are killed. */
    static final Duration GRACE = Duration.ofSeconds(2);

    /** What a program did. {@code exitCode} is -1 when it was killed for taking too long. */
    public record Result(List<String> argv, int exitCode, String out, String err, boolean timedOut, Duration took) {

        public boolean ok() {
            return exitCode == 0 && !timedOut;
        }

        /** A one-line account for error messages. */
        public String describe() {
            String what = String.join(" ", argv);
            if (timedOut) {
                return what + ": timed out after " + took.toMillis() + " ms";
            }
            String detail = err.isBlank() ? out.strip() : err.strip();
            return what + ": exit " + exitCode + (detail.isEmpty() ? "" : ": " + detail.lines().findFirst().orElse(""));
        }
    }

    /** A request to run a program. */
    public record Call(List<String> argv, Duration timeout, byte[] stdin, Path dir, Map<String, String> env,
                       Predicate<String> unset, boolean endTree) {

        public Call {
            argv = List.copyOf(argv);
            env = env == null ? Map.of() : Map.copyOf(env);
            unset = unset == null ? name -> false : unset;
        }

        public static Call of(List<String> argv, Duration timeout) {
            return new Call(argv, timeout, null, null, Map.of(), null, false);
        }

        public Call withStdin(String text) {
            return new Call(argv, timeout, text.getBytes(StandardCharsets.UTF_8), dir, env, unset, endTree);
        }

        public Call in(Path directory) {
            return new Call(argv, timeout, stdin, directory, env, unset, endTree);
        }

        /** Adds {@code extra} to the inherited environment. */
        public Call withEnv(Map<String, String> extra) {
            return new Call(argv, timeout, stdin, dir, extra, unset, endTree);
        }

        /** Removes the inherited variables whose names {@code names} accepts. */
        public Call without(Predicate<String> names) {
            return new Call(argv, timeout, stdin, dir, env, names, endTree);
        }

        /**
         * Runs the program in a session of its own (through {@code setsid}, where there is one) and, when it
         * finishes, ends every process still in that session or below it: SIGTERM, then SIGKILL after {@link #GRACE}.
         * Not for programs meant to leave a server running (tmux).
         */
        public Call endingItsProcesses() {
            return new Call(argv, timeout, stdin, dir, env, unset, true);
        }
    }

    private static final ExecutorService DRAIN = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "exec-drain");
        t.setDaemon(true);
        return t;
    });

    private Exec() {
    }

    public static Result run(List<String> argv, Duration timeout) {
        return run(Call.of(argv, timeout));
    }

    /**
     * Runs {@code call}; never throws for the program's own failure (see {@link Result}), only when it cannot
     * be started at all ({@link UncheckedIOException}) or the thread is interrupted (the program is killed and
     * the interrupt flag restored; the result then says timed out).
     */
    public static Result run(Call call) {
        long start = System.nanoTime();
        List<String> argv = call.endTree() && SETSID != null ? prefixed(SETSID, call.argv()) : call.argv();
        ProcessBuilder pb = new ProcessBuilder(argv);
        if (call.dir() != null) {
            pb.directory(call.dir().toFile());
        }
        pb.environment().keySet().removeIf(call.unset());
        pb.environment().putAll(call.env());
        Process process;
        try {
            process = pb.start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + call.argv().get(0) + ": " + e.getMessage(), e);
        }
        Future<byte[]> out = DRAIN.submit(() -> tail(process.getInputStream()));
        Future<byte[]> err = DRAIN.submit(() -> tail(process.getErrorStream()));
        Future<?> in = DRAIN.submit(() -> {
            try (OutputStream stdin = process.getOutputStream()) {
                if (call.stdin() != null) {
                    stdin.write(call.stdin());
                }
            } catch (IOException ignored) {
                // the program closed its input early: it does not want it
            }
            return null;
        });
        boolean finished;
        boolean interrupted = false;
        try {
            finished = process.waitFor(call.timeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            interrupted = true;
            finished = false;
        }
        if (!finished) {
            end(List.of(process.toHandle()), process.pid());
        } else if (call.endTree()) {
            // its children left running are no longer its descendants (their parent has exited): found by session
            end(List.of(), process.pid());
        }
        String stdout = text(out, call);
        String stderr = text(err, call);
        in.cancel(true);
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        return new Result(call.argv(), finished ? process.exitValue() : -1, stdout, stderr, !finished, took);
    }

    /**
     * Ends {@code handles}, their descendants and the members of session {@code session} (the program's own, when it
     * was started through setsid) with theirs: SIGTERM to all, then SIGKILL to those still alive after {@link #GRACE}.
     */
    private static void end(List<ProcessHandle> handles, long session) {
        List<ProcessHandle> roots = new ArrayList<>(handles);
        if (SETSID != null && session != ProcessTrees.ownSession()) {
            roots.addAll(ProcessTrees.sessionMembers(session));
        }
        ProcessTrees.endTrees(roots, GRACE);
    }

    private static final String SETSID = find("setsid");

    private static String find(String program) {
        for (String dir : List.of("/usr/bin", "/bin", "/usr/local/bin")) {
            Path p = Path.of(dir, program);
            if (Files.isExecutable(p) && Files.isDirectory(Path.of("/proc"))) {
                return p.toString();
            }
        }
        return null;
    }

    private static List<String> prefixed(String first, List<String> argv) {
        List<String> out = new ArrayList<>(argv.size() + 2);
        out.add(first);
        out.add("--wait"); // should setsid have to fork, it still returns the program's exit code
        out.addAll(argv);
        return out;
    }

    /** Reads {@code in} to its end, keeping the last {@link #MAX_OUTPUT_BYTES} (a ring buffer). */
    static byte[] tail(InputStream in) throws IOException {
        byte[] ring = new byte[MAX_OUTPUT_BYTES];
        long total = 0;
        byte[] chunk = new byte[8192];
        int n;
        while ((n = in.read(chunk)) != -1) {
            for (int off = 0; off < n; ) {
                int at = (int) (total % ring.length);
                int len = Math.min(n - off, ring.length - at);
                System.arraycopy(chunk, off, ring, at, len);
                off += len;
                total += len;
            }
        }
        if (total <= ring.length) {
            return Arrays.copyOf(ring, (int) total);
        }
        int at = (int) (total % ring.length);
        byte[] out = new byte[ring.length];
        System.arraycopy(ring, at, out, 0, ring.length - at);
        System.arraycopy(ring, 0, out, ring.length - at, at);
        int skip = 0; // a cut inside a UTF-8 character: start at the next one
        while (skip < out.length && skip < 3 && (out[skip] & 0xC0) == 0x80) {
            skip++;
        }
        return Arrays.copyOfRange(out, skip, out.length);
    }

    private static String text(Future<byte[]> f, Call call) {
        try {
            return new String(f.get(Math.max(1000, call.timeout().toMillis()), TimeUnit.MILLISECONDS), StandardCharsets.UTF_8);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "";
        } catch (ExecutionException | TimeoutException e) {
            f.cancel(true);
            return "";
        }
    }
}
