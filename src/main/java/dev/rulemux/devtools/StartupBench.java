package dev.rulemux.devtools;

import dev.rulemux.proc.Exec;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code rulemux bench startup}: how long the cold commands take, each in a fresh JVM as the launcher starts
 * it, wall time from starting {@code java} to its exit: {@code validate} and {@code decide} on a copy of the
 * bundled demo team, and {@code run --dry-run --max-time 0s} (start, load, one tick, exit). Each is timed
 * three ways: compiling the DRL every time (as before the cache), with the compiled-policy cache, and with
 * the cache and the launcher's class-data sharing archive ({@code target/rulemux.jsa}, when there is one).
 */
public final class StartupBench {

    /** One row: a command under one set-up, its wall times in ms (sorted) and whether every run exited 0. */
    public record Row(String command, String setup, List<Long> millis, boolean ok) {
        public long median() {
            return Bench.percentile(millis, 50);
        }

        public long min() {
            return millis.isEmpty() ? -1 : millis.get(0);
        }
    }

    private static final List<String> JVM = List.of("-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1");

    private StartupBench() {
    }

    /** Times each of {@code commands} (validate, decide, run) {@code reps} times per set-up, in {@code work}. */
    public static List<Row> run(List<String> commands, int reps, Path work, PrintWriter progress) throws IOException {
        Path config = work.resolve("demo");
        Files.createDirectories(config);
        for (String name : List.of("agents.yaml", "tasks.yaml")) {
            try (InputStream in = StartupBench.class.getResourceAsStream("/shipped/demo/" + name)) {
                if (in == null) {
                    throw new IllegalStateException("the bundled demo (shipped/demo/" + name + ") is not on the class path");
                }
                Files.copy(in, config.resolve(name));
            }
        }
        Path screen = work.resolve("screen.txt");
        Files.writeString(screen, String.join("\n", "─".repeat(40), "> ", "─".repeat(40), "  ? for shortcuts", ""),
                StandardCharsets.UTF_8);
        Path cache = work.resolve("cache");
        Map<String, List<String>> argv = new LinkedHashMap<>();
        argv.put("validate", List.of("validate", "--config", config.toString()));
        argv.put("decide", List.of("decide", "--config", config.toString(), "--screen", "architect=" + screen));
        argv.put("run (one tick)", List.of("run", "--config", config.toString(), "--dry-run", "--max-time", "0s"));
        // the launcher's heap for the long-lived commands (see the rulemux script): its size decides how many
        // collections the start takes
        Map<String, List<String>> heap = Map.of("run (one tick)", List.of("-Xms48m", "-Xmx512m"));

        Path archive = archive();
        Map<String, List<String>> setups = new LinkedHashMap<>();
        setups.put("compiling the DRL", List.of("-Xshare:auto"));
        setups.put("policy cache", List.of("-Xshare:auto"));
        if (archive != null) {
            setups.put("policy cache + CDS archive", List.of("-XX:SharedArchiveFile=" + archive, "-Xshare:auto"));
        }
        List<Row> rows = new ArrayList<>();
        for (Map.Entry<String, List<String>> command : argv.entrySet()) {
            if (commands.stream().noneMatch(c -> command.getKey().startsWith(c))) {
                continue;
            }
            for (Map.Entry<String, List<String>> setup : setups.entrySet()) {
                boolean cached = !setup.getKey().startsWith("compiling");
                Map<String, String> env = cached ? Map.of("RULEMUX_CACHE_DIR", cache.toString())
                        : Map.of("RULEMUX_POLICY_CACHE", "off");
                List<String> flags = new ArrayList<>(heap.getOrDefault(command.getKey(), List.of()));
                flags.addAll(setup.getValue());
                List<String> full = new ArrayList<>(self(flags));
                full.addAll(command.getValue());
                if (cached) {
                    once(full, env, config); // fills the cache: the timed runs find it
                }
                List<Long> times = new ArrayList<>();
                boolean ok = true;
                for (int i = 0; i < reps; i++) {
                    Exec.Result r = once(full, env, config);
                    ok &= r.exitCode() == 0;
                    times.add(r.took().toMillis());
                }
                times.sort(null);
                Row row = new Row(command.getKey(), setup.getKey(), times, ok);
                progress.printf("  %s, %s: %s ms%n", row.command(), row.setup(), times);
                progress.flush();
                rows.add(row);
            }
        }
        return rows;
    }

    private static Exec.Result once(List<String> argv, Map<String, String> env, Path dir) {
        Exec.Result r = Exec.run(Exec.Call.of(argv, Duration.ofMinutes(2)).withEnv(env).in(dir)
                .without(name -> name.startsWith("RULEMUX_")));
        if (r.timedOut()) {
            throw new IllegalStateException(r.describe());
        }
        return r;
    }

    /** {@code java <flags> -jar <this jar>}, or the class path when run from the build's classes. */
    private static List<String> self(List<String> flags) {
        List<String> out = new ArrayList<>();
        out.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        out.addAll(JVM);
        out.addAll(flags);
        String home = System.getProperty("rulemux.home");
        if (home != null) {
            out.add("-Drulemux.home=" + home);
        }
        Path jar = jar();
        if (jar != null) {
            out.add("-jar");
            out.add(jar.toString());
        } else {
            out.add("-cp");
            out.add(System.getProperty("java.class.path"));
            out.add("dev.rulemux.Main");
        }
        return out;
    }

    private static Path jar() {
        try {
            Path code = Path.of(StartupBench.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            return Files.isRegularFile(code) && code.toString().endsWith(".jar") ? code : null;
        } catch (URISyntaxException | RuntimeException e) {
            return null;
        }
    }

    /** The launcher's archive beside the jar, when it is there and not older than the jar. */
    private static Path archive() {
        Path jar = jar();
        if (jar == null) {
            return null;
        }
        Path jsa = jar.resolveSibling("rulemux.jsa");
        try {
            return Files.isRegularFile(jsa)
                    && Files.getLastModifiedTime(jsa).compareTo(Files.getLastModifiedTime(jar)) >= 0 ? jsa : null;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
