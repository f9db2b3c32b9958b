package dev.rulemux.ssh;

import dev.rulemux.Eventually;
import dev.rulemux.proc.Exec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * Test helper: "hosts" that are real OpenSSH servers on 127.0.0.1, one port each, with throw-away host and user keys
 * in a temp directory (nothing of the user's {@code ~/.ssh} is read or written). Each host gets its own
 * {@code TMUX_TMPDIR} (sshd's {@code SetEnv}), so its tmux servers are its own, as on another machine. sshd runs with
 * {@code MaxSessions 10}. {@link #sshConfig} is the client configuration naming each host, for agents.yaml's
 * {@code ssh_config}. {@link #close} ends the servers, their connections and each host's tmux servers.
 */
public final class SshHosts implements AutoCloseable {

    public static final Path SSHD = Path.of("/usr/sbin/sshd");

    private final Path dir;
    private final Map<String, Process> servers = new LinkedHashMap<>();
    private final Map<String, Integer> ports = new LinkedHashMap<>();
    private final List<String> sockets = new ArrayList<>();

    private SshHosts(Path dir) {
        this.dir = dir;
    }

    /**
     * Skips the calling test when there is no sshd, unless {@code RULEMUX_REQUIRE_SSHD=1} (CI), where its absence
     * fails the test saying how to get one.
     */
    public static void assumeSshd() {
        if (Files.isExecutable(SSHD)) {
            return;
        }
        if ("1".equals(System.getenv("RULEMUX_REQUIRE_SSHD"))) {
            Assertions.fail(SSHD + " is missing, and RULEMUX_REQUIRE_SSHD=1 requires the remote-host tests: install "
                    + "openssh-server (.ci/run does)");
        }
        Assumptions.abort(SSHD + " is missing (install openssh-server to run the remote-host tests)");
    }

    /** Starts one sshd per name in {@code dir}, waiting until each accepts connections. */
    public static SshHosts start(Path dir, String... names) {
        assumeSshd();
        SshHosts hosts = new SshHosts(dir);
        try {
            Files.createDirectories(dir);
            hosts.keys();
            StringBuilder config = new StringBuilder();
            StringBuilder known = new StringBuilder();
            for (String name : names) {
                Path home = Files.createDirectories(dir.resolve(name));
                Files.createDirectories(home.resolve("tmux"));
                Path hostKey = home.resolve("host_ed25519");
                keygen(hostKey);
                int port = freePort();
                hosts.ports.put(name, port);
                Files.writeString(home.resolve("sshd_config"), String.join("\n",
                        "Port " + port,
                        "ListenAddress 127.0.0.1",
                        "HostKey " + hostKey,
                        "PidFile " + home.resolve("sshd.pid"),
                        "AuthorizedKeysFile " + dir.resolve("authorized_keys"),
                        "StrictModes no",
                        "UsePAM no",
                        "PubkeyAuthentication yes",
                        "PasswordAuthentication no",
                        "KbdInteractiveAuthentication no",
                        "PermitRootLogin prohibit-password",
                        "AllowAgentForwarding no",
                        "AllowTcpForwarding no",
                        "X11Forwarding no",
                        "MaxSessions 10",
                        "LogLevel ERROR",
                        "SetEnv TMUX_TMPDIR=" + home.resolve("tmux") + " LANG=C.UTF-8",
                        ""));
                config.append("Host ").append(name).append('\n')
                        .append("  HostName 127.0.0.1\n")
                        .append("  Port ").append(port).append('\n')
                        .append("  User ").append(System.getProperty("user.name")).append('\n')
                        .append("  IdentityFile ").append(dir.resolve("user_ed25519")).append('\n')
                        .append("  IdentitiesOnly yes\n")
                        .append("  UserKnownHostsFile ").append(dir.resolve("known_hosts")).append('\n')
                        .append("  GlobalKnownHostsFile /dev/null\n")
                        .append("  HostKeyAlias ").append(name).append('\n');
                known.append(name).append(' ').append(Files.readString(Path.of(hostKey + ".pub")).strip()).append('\n');
                Path privsep = Path.of("/run/sshd");
                if (!Files.isDirectory(privsep) && "root".equals(System.getProperty("user.name"))) {
                    Files.createDirectories(privsep);
                }
                Process sshd = new ProcessBuilder(SSHD.toString(), "-D", "-e", "-f", home.resolve("sshd_config").toString())
                        .redirectErrorStream(true).redirectOutput(home.resolve("sshd.log").toFile()).start();
                hosts.servers.put(name, sshd);
            }
            Files.writeString(dir.resolve("ssh_config"), config.toString());
            Files.writeString(dir.resolve("known_hosts"), known.toString());
            for (String name : names) {
                Eventually.until("sshd of " + name + " listening", () -> hosts.listening(name));
            }
            return hosts;
        } catch (IOException e) {
            hosts.close();
            throw new UncheckedIOException(e);
        } catch (RuntimeException | Error e) {
            hosts.close();
            throw e;
        }
    }

    private void keys() throws IOException {
        Path userKey = dir.resolve("user_ed25519");
        keygen(userKey);
        Files.writeString(dir.resolve("authorized_keys"), Files.readString(Path.of(userKey + ".pub")));
    }

    private static void keygen(Path key) {
        Exec.Result r = Exec.run(List.of("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "rulemux-test", "-f",
                key.toString()), Duration.ofSeconds(30));
        if (!r.ok()) {
            throw new IllegalStateException("ssh-keygen: " + r.describe());
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private boolean listening(String name) {
        if (!servers.get(name).isAlive()) {
            throw new IllegalStateException("sshd of " + name + " ended: " + log(name));
        }
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", ports.get(name)), 1000);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private String log(String name) {
        try {
            Path log = dir.resolve(name).resolve("sshd.log");
            return Files.exists(log) ? Files.readString(log).strip() : "";
        } catch (IOException e) {
            return "";
        }
    }

    /** The ssh client configuration naming every host (agents.yaml's {@code ssh_config}). */
    public Path sshConfig() {
        return dir.resolve("ssh_config");
    }

    /** A directory "on" host {@code name} (an agent's workdir there). */
    public Path home(String name) {
        return dir.resolve(name);
    }

    /** The connections sshd of {@code name} serves now: one process per connection, children of the listener. */
    public List<ProcessHandle> connections(String name) {
        return servers.get(name).toHandle().children().filter(ProcessHandle::isAlive).toList();
    }

    /**
     * Cuts every connection to host {@code name} as a dropped link would: the per-connection sshd processes are killed
     * (SIGKILL); what they ran (the tmux control client) loses its connection and ends, while the host's tmux server, a
     * daemon of its own, lives on.
     */
    public void cut(String name) {
        connections(name).forEach(ProcessHandle::destroyForcibly);
    }

    /** Ends {@code processes}: SIGTERM first (shells run their exit traps, lock files are let go), SIGKILL after 5 s. */
    private static void end(List<ProcessHandle> processes) {
        processes.forEach(ProcessHandle::destroy);
        long until = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(5);
        for (ProcessHandle p : processes) {
            try {
                p.onExit().get(Math.max(0, until - System.nanoTime()), java.util.concurrent.TimeUnit.NANOSECONDS);
            } catch (java.util.concurrent.TimeoutException | java.util.concurrent.ExecutionException e) {
                p.destroyForcibly();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                p.destroyForcibly();
            }
        }
    }

    private static List<ProcessHandle> tree(ProcessHandle root) {
        List<ProcessHandle> out = new ArrayList<>(root.descendants().toList());
        out.add(root);
        return out;
    }

    /** Stops host {@code name}'s sshd and its connections: the host is unreachable until the test ends. */
    public void stop(String name) {
        end(tree(servers.get(name).toHandle()));
    }

    /** Says that tests made tmux servers on socket {@code socket} of every host, for {@link #close} to end. */
    public void tmuxSocket(String socket) {
        sockets.add(socket);
    }

    /** Runs tmux {@code args} on host {@code name}'s server of {@code socket}, as a person logged in there would. */
    public Exec.Result tmux(String name, String socket, List<String> args) {
        List<String> argv = new ArrayList<>(List.of("env", "TMUX_TMPDIR=" + dir.resolve(name).resolve("tmux"), "tmux", "-L", socket));
        argv.addAll(args);
        return Exec.run(argv, Duration.ofSeconds(10));
    }

    @Override
    public void close() {
        for (String name : servers.keySet()) {
            for (String socket : sockets) {
                Exec.Result panes = tmux(name, socket, List.of("list-panes", "-a", "-F", "#{pane_pid}"));
                tmux(name, socket, List.of("kill-server"));
                if (panes.ok()) {
                    List<ProcessHandle> programs = new ArrayList<>();
                    panes.out().lines().filter(l -> l.strip().matches("\\d+")).forEach(pid ->
                            ProcessHandle.of(Long.parseLong(pid.strip())).ifPresent(h -> programs.addAll(tree(h))));
                    end(programs);
                }
            }
        }
        List<ProcessHandle> sshds = new ArrayList<>();
        servers.values().forEach(p -> sshds.addAll(tree(p.toHandle())));
        end(sshds);
        end(strays());
    }

    /**
     * The processes still running "on" these hosts: a tmux server or client whose environment names a host's
     * TMUX_TMPDIR (a client of a link cut mid-start-up outlives its connection as an orphan). Read from /proc; empty
     * where there is none.
     */
    private List<ProcessHandle> strays() {
        List<ProcessHandle> out = new ArrayList<>();
        byte[] marker = ("TMUX_TMPDIR=" + dir).getBytes(java.nio.charset.StandardCharsets.UTF_8);
        try (java.util.stream.Stream<Path> procs = Files.list(Path.of("/proc"))) {
            for (Path proc : procs.filter(p -> p.getFileName().toString().matches("\\d+")).toList()) {
                try {
                    byte[] env = Files.readAllBytes(proc.resolve("environ"));
                    if (indexOf(env, marker) >= 0) {
                        ProcessHandle.of(Long.parseLong(proc.getFileName().toString())).ifPresent(out::add);
                    }
                } catch (IOException | RuntimeException e) {
                    // gone meanwhile, or not ours to read
                }
            }
        } catch (IOException e) {
            // no /proc: nothing more to find
        }
        return out;
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
