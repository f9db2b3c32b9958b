package dev.rulemux.proc;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;

/**
 * Ending processes and what they started, written once: find a process with its descendants, the members of a
 * session, or the processes whose arguments name a directory; end them with SIGTERM, then SIGKILL those still
 * alive after a grace period; or kill a tree at once. This JVM is never among the processes ended. Finding a
 * session's members or a process's arguments reads {@code /proc} and finds nothing where there is none.
 */
public final class ProcessTrees {

    private ProcessTrees() {
    }

    /** {@code roots} and all their descendants, each once, roots first. */
    public static List<ProcessHandle> withDescendants(Collection<ProcessHandle> roots) {
        Set<ProcessHandle> all = new LinkedHashSet<>();
        for (ProcessHandle root : roots) {
            all.add(root);
            root.descendants().forEach(all::add);
        }
        return new ArrayList<>(all);
    }

    /**
     * Ends {@code processes}: SIGTERM to those alive, then SIGKILL to those still alive after {@code grace}
     * (counted once for all of them). An interrupt cuts the wait short (the survivors are killed, the flag restored).
     */
    public static void end(Collection<ProcessHandle> processes, Duration grace) {
        long self = ProcessHandle.current().pid();
        List<ProcessHandle> alive = processes.stream().filter(h -> h.pid() != self && h.isAlive()).distinct().toList();
        if (alive.isEmpty()) {
            return;
        }
        alive.forEach(ProcessHandle::destroy);
        long deadline = System.nanoTime() + grace.toNanos();
        for (ProcessHandle h : alive) {
            long left = deadline - System.nanoTime();
            try {
                if (left > 0) {
                    h.onExit().get(left, TimeUnit.NANOSECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            } catch (ExecutionException | TimeoutException e) {
                // killed below
            }
        }
        alive.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
    }

    /** Ends {@code roots} and their descendants as {@link #end} does. */
    public static void endTrees(Collection<ProcessHandle> roots, Duration grace) {
        end(withDescendants(roots), grace);
    }

    /** Kills {@code root}'s descendants, then {@code root}, with SIGKILL and no grace: for a program that may hang. */
    public static void killNow(ProcessHandle root) {
        if (root.pid() == ProcessHandle.current().pid()) {
            return;
        }
        root.descendants().forEach(ProcessHandle::destroyForcibly);
        root.destroyForcibly();
    }

    /** The processes of session {@code sid} (Linux: from /proc); empty where there is no /proc. */
    public static List<ProcessHandle> sessionMembers(long sid) {
        return matching(pid -> session(pid) == sid);
    }

    /** The session of this JVM; -1 where there is no /proc. */
    public static long ownSession() {
        return session(Path.of("/proc/self"));
    }

    /**
     * The processes with an argument that is {@code dir} or a path under it (a program run from a copy of itself
     * there). An argument that merely mentions it (inside a longer word) does not count. Empty where there is no
     * /proc.
     */
    public static List<ProcessHandle> runningFrom(Path dir) {
        String marker = dir.toAbsolutePath().normalize().toString();
        return matching(pid -> commandLine(pid).stream().anyMatch(arg -> arg.equals(marker) || arg.startsWith(marker + "/")));
    }

    /** The processes, other than this JVM, whose /proc/PID directory {@code test} accepts. */
    private static List<ProcessHandle> matching(Predicate<Path> test) {
        Path proc = Path.of("/proc");
        List<ProcessHandle> out = new ArrayList<>();
        if (!Files.isDirectory(proc)) {
            return out;
        }
        long self = ProcessHandle.current().pid();
        try (DirectoryStream<Path> pids = Files.newDirectoryStream(proc, p -> p.getFileName().toString().matches("\\d+"))) {
            for (Path pidDir : pids) {
                long pid = Long.parseLong(pidDir.getFileName().toString());
                if (pid != self && test.test(pidDir)) {
                    ProcessHandle.of(pid).ifPresent(out::add);
                }
            }
        } catch (IOException | RuntimeException e) {
            // no /proc to read: nothing found
        }
        return out;
    }

    /** The session id in /proc/PID/stat (the 6th field, counted after the command name in parentheses). */
    private static long session(Path pidDir) {
        try {
            String stat = Files.readString(pidDir.resolve("stat"), StandardCharsets.UTF_8);
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return Long.parseLong(f[3]);
        } catch (IOException | RuntimeException e) {
            return -1; // gone, or not Linux
        }
    }

    /** The argv of a process (NUL-separated in /proc); empty when it is gone or unreadable. */
    private static List<String> commandLine(Path pidDir) {
        try {
            String raw = new String(Files.readAllBytes(pidDir.resolve("cmdline")), StandardCharsets.UTF_8);
            return raw.isEmpty() ? List.of() : List.of(raw.split("\0"));
        } catch (IOException | RuntimeException e) {
            return List.of();
        }
    }
}
