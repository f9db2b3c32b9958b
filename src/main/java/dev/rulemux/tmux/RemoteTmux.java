package dev.rulemux.tmux;

import dev.rulemux.ssh.SshCommand;
import dev.rulemux.terminal.Link;
import dev.rulemux.terminal.Pane;
import dev.rulemux.terminal.Terminal;
import dev.rulemux.terminal.TerminalException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The tmux server of another host, reached through <b>one</b> ssh connection that carries a tmux control-mode client
 * ({@code ssh host tmux -L SOCKET -C new-session -A -s rulemux-link}): every list, capture, paste and key press for
 * every agent there is a line in that one stream, so fifty agents on a host are one ssh session (sshd's
 * {@code MaxSessions 10} never counts them). Prompts travel inside the stream as quoted words of tmux's own parser
 * ({@link Tmux#quoted}), cleaned as locally ({@link PasteText}); the remote command line is fixed and holds no text
 * of a prompt or a config value beyond the checked socket name.
 *
 * <p>Every step has a bound: connecting ({@link SshCommand#connect}), the first answer and each command
 * ({@link #TIMEOUT}); keepalives end a half-open link. A link that drops is opened again in the background, after
 * 1 s, then twice as long each time it fails, up to a minute; meanwhile every call fails at once with
 * {@link TerminalException} saying the host is down. The remote tmux server keeps running across drops: the link
 * session ({@value #LINK_SESSION}) and the team's session outlive the connection, and so do the agents.
 */
public final class RemoteTmux implements Terminal {

    /** How long one command over the link may take, and the first answer after connecting (beyond the connect timeout). */
    public static final Duration TIMEOUT = Duration.ofSeconds(10);
    /** The session the control client attaches to on the host (made on the first connection, kept ever after). */
    public static final String LINK_SESSION = "rulemux-link";
    private static final String FIELD = "\u001f";
    private static final String PANE_FORMAT = String.join(FIELD, "#{session_name}", "#{window_name}", "#{window_index}",
            "#{pane_id}", "#{pane_dead}", "#{pane_current_command}");
    private static final long FIRST_BACKOFF_MS = 1_000;
    private static final long MAX_BACKOFF_MS = 60_000;

    private final String host;
    private final String socket;
    private final SshCommand ssh;
    private final Clock clock;
    private final ExecutorService connector;
    private ControlClient link;
    private Future<?> attempt;
    private boolean tried;
    private long nextAttempt;
    private long backoff = FIRST_BACKOFF_MS;
    private volatile boolean up;
    private volatile long since;
    private volatile long latencyMs = -1;
    private volatile String version = "";
    private volatile String problem = "";
    private final AtomicLong connections = new AtomicLong();
    private volatile boolean closed;

    /**
     * @param host   the host as ssh takes it ({@code user@box}, an {@code ~/.ssh/config} entry)
     * @param socket the tmux socket name there ({@code tmux -L}); null: {@code rulemux}
     * @param ssh    how ssh is run
     * @param clock  the run's clock (when the link went up or down)
     */
    public RemoteTmux(String host, String socket, SshCommand ssh, Clock clock) {
        this.host = host;
        this.socket = socket == null ? "rulemux" : socket;
        this.ssh = ssh;
        this.clock = clock;
        this.connector = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "rulemux-link-" + host);
            t.setDaemon(true);
            return t;
        });
    }

    public String host() {
        return host;
    }

    /** The ssh client's argv that carries the link (the remote command is fixed: tmux, the socket, control mode). */
    List<String> linkArgv() {
        // the link session's window runs cat, which reads its terminal and does nothing: no login shell (and no
        // shell start-up files) runs there for the link's sake
        return ssh.argv(host, List.of("tmux", "-u", "-L", socket, "-C", "new-session", "-A", "-s", LINK_SESSION,
                "-f", "no-output,ignore-size", "cat"));
    }

    /** Opens the link now (waiting for it); false when the host could not be reached (see {@link #links}). */
    public boolean connect() {
        try {
            link();
            return true;
        } catch (TmuxException e) {
            return false;
        }
    }

    private void attemptConnect() {
        long started = clock.millis();
        try {
            ControlClient client = ControlClient.start(linkArgv(), Tmux::scrubbed,
                    List.of("display-message", "-p", "#{version}"), ssh.connect().plus(TIMEOUT));
            connections.incrementAndGet();
            long answered = clock.millis();
            // a pane whose program ends stays on screen, dead, for the policy to see; a program that ends at once
            // would otherwise take its window with it before a second command could say so
            client.command(List.of("set-option", "-g", "-w", "remain-on-exit", "on"), TIMEOUT);
            client.command(List.of("set-option", "-s", "focus-events", "on"), TIMEOUT);
            String v = client.command(List.of("display-message", "-p", "#{version}"), TIMEOUT).stream().findFirst().orElse("");
            synchronized (this) {
                if (closed || (link != null && link.alive())) {
                    client.close();
                    return;
                }
                link = client;
                version = v.isBlank() ? "" : "tmux " + v.strip();
                latencyMs = answered - started;
                problem = "";
                backoff = FIRST_BACKOFF_MS;
                if (!up) {
                    since = clock.millis();
                }
                up = true;
            }
        } catch (TmuxException | IllegalArgumentException e) {
            synchronized (this) {
                markDown(e.getMessage());
                nextAttempt = clock.millis() + backoff;
                backoff = Math.min(backoff * 2, MAX_BACKOFF_MS);
            }
        }
    }

    private void markDown(String why) {
        if (up || since == 0) {
            since = clock.millis();
        }
        up = false;
        problem = why == null || why.isBlank() ? "the connection ended" : why;
    }

    /**
     * The link when it is up; else starts an attempt to open it in the background (at most one at a time, after the
     * backoff) and fails at once. The very first call waits for its attempt: a run's first look finds the host up.
     */
    private ControlClient link() {
        Future<?> first = null;
        synchronized (this) {
            if (closed) {
                throw new TmuxException("the connection to " + host + " is closed");
            }
            if (link != null && link.alive()) {
                return link;
            }
            if (link != null) {
                String why = link.lastError();
                link.close();
                link = null;
                markDown(why.isBlank() ? "the connection ended" : why);
                nextAttempt = clock.millis() + backoff;
            }
            boolean firstCall = !tried;
            tried = true;
            if ((attempt == null || attempt.isDone()) && (firstCall || clock.millis() >= nextAttempt)) {
                attempt = connector.submit(this::attemptConnect);
                if (firstCall) {
                    first = attempt;
                }
            }
        }
        if (first != null) {
            try {
                first.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new TmuxException("interrupted while connecting to " + host);
            } catch (java.util.concurrent.ExecutionException e) {
                // attemptConnect records its own failures
            }
            synchronized (this) {
                if (link != null && link.alive()) {
                    return link;
                }
            }
        }
        throw new TmuxException("host " + host + " is down: " + (problem.isBlank() ? "connecting" : problem));
    }

    /**
     * Runs one tmux command over the link.
     *
     * @throws ControlClient.Refused when tmux answered with an error (the link is fine)
     * @throws TmuxException         when the host is down, or the link failed or timed out (then it is dropped and
     *                               opened again in the background)
     */
    private List<String> command(List<String> words) {
        ControlClient client = link();
        long started = System.nanoTime();
        try {
            List<String> out = client.command(words, TIMEOUT);
            latencyMs = (System.nanoTime() - started) / 1_000_000;
            return out;
        } catch (ControlClient.Refused e) {
            throw e;
        } catch (TmuxException e) {
            synchronized (this) {
                if (link == client) {
                    client.close();
                    link = null;
                    markDown(e.getMessage());
                    nextAttempt = clock.millis() + backoff;
                }
            }
            throw new TmuxException("host " + host + ": " + e.getMessage());
        }
    }

    /** As {@link #command}, false when tmux refused it (no such session, say). */
    private boolean ask(List<String> words) {
        try {
            command(words);
            return true;
        } catch (ControlClient.Refused e) {
            return false;
        }
    }

    @Override
    public boolean installed() {
        return true;
    }

    @Override
    public Optional<String> server() {
        return Optional.of("ssh " + host + " tmux -L " + socket);
    }

    @Override
    public boolean hasSession(String session) {
        return ask(List.of("has-session", "-t", "=" + session));
    }

    @Override
    public String newSession(String session, String window, Path dir, Map<String, String> env, List<String> argv,
                             int width, int height) {
        List<String> args = new ArrayList<>(List.of("new-session", "-d", "-P", "-F", "#{pane_id}", "-s", session,
                "-n", window, "-x", Integer.toString(width), "-y", Integer.toString(height)));
        return start(args, dir, env, argv);
    }

    @Override
    public String newWindow(String session, String window, Path dir, Map<String, String> env, List<String> argv) {
        List<String> args = new ArrayList<>(List.of("new-window", "-d", "-P", "-F", "#{pane_id}", "-t", "=" + session + ":",
                "-n", window));
        return start(args, dir, env, argv);
    }

    private String start(List<String> args, Path dir, Map<String, String> env, List<String> argv) {
        if (dir != null) {
            args.addAll(List.of("-c", dir.toString()));
        }
        env.forEach((k, v) -> args.addAll(List.of("-e", k + "=" + v)));
        args.addAll(Tmux.direct(argv, env));
        return command(args).stream().findFirst().orElse("").strip();
    }

    @Override
    public void respawn(String pane, Path dir, Map<String, String> env, List<String> argv) {
        List<String> args = new ArrayList<>(List.of("respawn-pane", "-k", "-t", pane));
        if (dir != null) {
            args.addAll(List.of("-c", dir.toString()));
        }
        env.forEach((k, v) -> args.addAll(List.of("-e", k + "=" + v)));
        args.addAll(Tmux.direct(argv, env));
        command(args);
    }

    /** The panes of {@code session} there; their pids are the host's and mean nothing here, so they are -1. */
    @Override
    public List<Pane> panes(String session) {
        List<String> lines;
        try {
            lines = command(List.of("list-panes", "-s", "-t", "=" + session, "-F", PANE_FORMAT));
        } catch (ControlClient.Refused e) {
            return List.of();
        }
        List<Pane> out = new ArrayList<>();
        for (String line : lines) {
            String[] f = line.split(FIELD, -1);
            if (f.length >= 6) {
                out.add(new Pane(f[0], f[1], Integer.parseInt(f[2]), f[3], "1".equals(f[4]), f[5], -1));
            }
        }
        return out;
    }

    @Override
    public String capture(String pane) {
        List<String> lines = command(List.of("capture-pane", "-p", "-t", pane));
        return lines.isEmpty() ? "" : String.join("\n", lines) + "\n";
    }

    /**
     * Pastes {@code text} (cleaned by {@link PasteText}) through a uniquely named buffer of the host's server, set and
     * pasted by two commands of the link ({@code set-buffer … -- TEXT}, {@code paste-buffer -p -d}).
     */
    @Override
    public void paste(String pane, String text) {
        String clean = PasteText.clean(text);
        if (clean.isEmpty()) {
            return;
        }
        String buffer = "rulemux-" + UUID.randomUUID();
        command(List.of("set-buffer", "-b", buffer, "--", clean));
        try {
            command(List.of("paste-buffer", "-p", "-d", "-b", buffer, "-t", pane));
        } catch (TmuxException e) {
            try {
                command(List.of("delete-buffer", "-b", buffer));
            } catch (TmuxException ignored) {
                // the link is down: the buffer is harmless and unnamed to anyone else
            }
            throw e;
        }
    }

    @Override
    public void pressKeys(String pane, List<String> keys) {
        if (keys.isEmpty()) {
            return;
        }
        List<String> args = new ArrayList<>(List.of("send-keys", "-t", pane));
        args.addAll(keys);
        command(args);
    }

    @Override
    public void typeLiteral(String pane, String text) {
        command(List.of("send-keys", "-l", "-t", pane, PasteText.clean(text)));
    }

    @Override
    public void killWindow(String pane) {
        command(List.of("kill-window", "-t", pane));
    }

    @Override
    public void killSession(String session) {
        ask(List.of("kill-session", "-t", "=" + session));
    }

    /** Ends the host's tmux server on this socket (the link session with it) and closes the link. For tests. */
    public void killServer() {
        try {
            command(List.of("kill-server"));
        } catch (TmuxException ignored) {
            // the server ends and takes the client with it: no answer may come
        }
        close();
    }

    @Override
    public List<Link> links() {
        return List.of(new Link(host, up, since, latencyMs, version, problem, connections.get()));
    }

    /**
     * Each agent's {@code @rulemux-report} pane option, taken (read, then unset) through the link. A report set again
     * between the read and the unset is lost; the agents are told to report once per task.
     */
    @Override
    public Map<String, String> takeReports(String session) {
        Map<String, String> out = new LinkedHashMap<>();
        List<String> lines;
        try {
            lines = command(List.of("list-panes", "-s", "-t", "=" + session, "-F",
                    "#{pane_id}" + FIELD + "#{window_name}" + FIELD + "#{@rulemux-report}"));
        } catch (TmuxException e) {
            return out; // no session there, or the host is down: nothing to take now
        }
        for (String line : lines) {
            String[] f = line.split(FIELD, 3);
            if (f.length == 3 && !f[2].isBlank()) {
                command(List.of("set-option", "-p", "-u", "-t", f[0], "@rulemux-report"));
                out.put(f[1], f[2]);
            }
        }
        return out;
    }

    /** The process carrying the link, while it is up (for tests that cut it). */
    synchronized Optional<ProcessHandle> linkProcess() {
        return link != null && link.alive() ? Optional.of(link.process()) : Optional.empty();
    }

    @Override
    public void close() {
        synchronized (this) {
            closed = true;
            if (link != null) {
                link.close();
                link = null;
            }
        }
        connector.shutdownNow();
    }
}
