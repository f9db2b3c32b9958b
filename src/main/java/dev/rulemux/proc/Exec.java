package dev.rulemux.proc;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;

/** Runs a program to completion: argv list, optional stdin, working directory, extra environment, timeout. */
public final class Exec {

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
                       Predicate<String> unset) {

        public Call {
            argv = List.copyOf(argv);
            env = env == null ? Map.of() : Map.copyOf(env);
            unset = unset == null ? name -> false : unset;
        }

        public static Call of(List<String> argv, Duration timeout) {
            return new Call(argv, timeout, null, null, Map.of(), null);
        }

        public Call withStdin(String text) {
            return new Call(argv, timeout, text.getBytes(StandardCharsets.UTF_8), dir, env, unset);
        }

        public Call in(Path directory) {
            return new Call(argv, timeout, stdin, directory, env, unset);
        }

        /** Adds {@code extra} to the inherited environment. */
        public Call withEnv(Map<String, String> extra) {
            return new Call(argv, timeout, stdin, dir, extra, unset);
        }

        /** Removes the inherited variables whose names {@code names} accepts. */
        public Call without(Predicate<String> names) {
            return new Call(argv, timeout, stdin, dir, env, names);
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
        ProcessBuilder pb = new ProcessBuilder(call.argv());
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
        Future<byte[]> out = DRAIN.submit(() -> readAll(process.getInputStream()));
        Future<byte[]> err = DRAIN.submit(() -> readAll(process.getErrorStream()));
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
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
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

    private static byte[] readAll(InputStream in) throws IOException {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        in.transferTo(buffer);
        return buffer.toByteArray();
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
