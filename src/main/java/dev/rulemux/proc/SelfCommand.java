package dev.rulemux.proc;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * An agent command whose first word is {@code rulemux} runs this very rulemux (its {@code sim-agent}, say),
 * without needing rulemux on the PATH: the word becomes {@code java … -jar <this jar>}, or, when run from
 * the build's classes, {@code java -cp <classpath> dev.rulemux.Main}.
 */
public final class SelfCommand {

    private static final List<String> JVM_FLAGS = List.of("-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xss512k",
            "-Xmx96m", "-Xshare:auto");

    private SelfCommand() {
    }

    public static List<String> resolve(List<String> argv) {
        if (argv.isEmpty() || !argv.get(0).equals("rulemux")) {
            return argv;
        }
        List<String> out = new ArrayList<>(self());
        out.addAll(argv.subList(1, argv.size()));
        return out;
    }

    /**
     * How a person or an agent's shell runs this rulemux: the launcher of the checkout when known, else
     * {@code java -jar <jar>}.
     */
    public static String display() {
        String home = System.getProperty("rulemux.home");
        if (home != null && Files.isRegularFile(Path.of(home, "rulemux"))) {
            return Path.of(home, "rulemux").toString();
        }
        Path code = codeSource();
        if (code != null && Files.isRegularFile(code) && code.toString().endsWith(".jar")) {
            return "java -jar " + code;
        }
        return "rulemux";
    }

    /**
     * How an agent CLI's hook runs {@code rulemux hook}: the launcher of the checkout when known (its fast path appends
     * the event without starting a JVM), else this very rulemux as {@link #resolve} runs it.
     */
    public static List<String> hook() {
        String home = System.getProperty("rulemux.home");
        if (home != null && Files.isExecutable(Path.of(home, "rulemux"))) {
            return List.of(Path.of(home, "rulemux").toAbsolutePath().toString(), "hook");
        }
        List<String> out = new ArrayList<>(self());
        out.add("hook");
        return out;
    }

    static List<String> self() {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> out = new ArrayList<>();
        out.add(java);
        out.addAll(JVM_FLAGS);
        Path code = codeSource();
        if (code != null && Files.isRegularFile(code) && code.toString().endsWith(".jar")) {
            out.add("-jar");
            out.add(code.toString());
        } else {
            out.add("-cp");
            out.add(System.getProperty("java.class.path"));
            out.add("dev.rulemux.Main");
        }
        return out;
    }

    private static Path codeSource() {
        try {
            var source = SelfCommand.class.getProtectionDomain().getCodeSource();
            return source == null ? null : Path.of(source.getLocation().toURI());
        } catch (URISyntaxException | SecurityException e) {
            return null;
        }
    }
}
