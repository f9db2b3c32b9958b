package dev.rulemux.tmux;

import dev.rulemux.proc.Exec;
import dev.rulemux.proc.ProcessTrees;
import dev.rulemux.terminal.Pane;
import dev.rulemux.terminal.Terminal;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * The only code that runs tmux, and the {@link Terminal} of a run. Every call is an argv list with a timeout; text
 * typed into a pane goes through a named buffer (never as key names), so a prompt can neither press keys nor run
 * commands.
 */
public final class Tmux implements Terminal {

    /** How long one tmux command may take. */
    public static final Duration TIMEOUT = Duration.ofSeconds(5);

    private static final String FIELD = "\u001f";
    private static final String PANE_FORMAT = String.join(FIELD, "#{session_name}", "#{window_name}", "#{window_index}",
            "#{pane_id}", "#{pane_dead}", "#{pane_current_command}", "#{pane_pid}");

    /**
     * Variables the tmux server must not pass on to the agents: CI markers make the CLIs drop their
     * interactive behaviour (rulemux drives them as TUIs), and TMUX/TMUX_PANE belong to an enclosing session.
     */
    static boolean scrubbed(String name) {
        return name.equals("CI") || name.startsWith("CI_") || name.equals("CONTINUOUS_INTEGRATION")
                || name.equals("GITHUB_ACTIONS") || name.equals("TMUX") || name.equals("TMUX_PANE");
    }

    /** How long the programs of a killed session get to end after SIGTERM before SIGKILL. */
    private static final Duration GRACE = Duration.ofSeconds(3);

    private final String socket;
    /** The configuration file a server started by this client reads ({@code tmux -f}); null: tmux's default. */
    private final String configFile;
    private final boolean controlMode;
    /** The tmux program run. */
    private final String program;
    private ControlClient control;
    private String controlSession;

    /** A client of the tmux server on socket {@code socket} ({@code tmux -L}); null means the default server. */
    public Tmux(String socket) {
        this(socket, null, true);
    }

    /**
     * @param controlMode read panes through one long-lived control-mode client instead of one tmux process per
     *                    read (the per-tick cost of a run); false always runs a process
     */
    public Tmux(String socket, boolean controlMode) {
        this(socket, null, controlMode);
    }

    private Tmux(String socket, String configFile, boolean controlMode) {
        this(socket, configFile, controlMode, "tmux");
    }

    private Tmux(String socket, String configFile, boolean controlMode, String program) {
        this.socket = socket;
        this.configFile = configFile;
        this.controlMode = controlMode;
        this.program = program;
    }

    /**
     * A client of a private server on {@code socket} that, when this client starts it, reads no configuration
     * ({@code -f /dev/null}): the user's {@code ~/.tmux.conf} (status line, focus events, key bindings) cannot
     * change what the programs in it show. For recording reference screens, and for tests.
     */
    public static Tmux withoutUserConfig(String socket) {
        return new Tmux(java.util.Objects.requireNonNull(socket, "socket"), "/dev/null", true);
    }

    /** As {@link #withoutUserConfig(String)}, running {@code program} as tmux (for tests: one that records its argv). */
    static Tmux withoutUserConfig(String socket, String program) {
        return new Tmux(java.util.Objects.requireNonNull(socket, "socket"), "/dev/null", false, program);
    }

    public String socket() {
        return socket;
    }

    @Override
    public boolean installed() {
        return version().isPresent();
    }

    @Override
    public Optional<String> server() {
        return socket == null ? Optional.empty() : Optional.of("tmux -L " + socket);
    }

    /** The tmux version line, or empty when tmux is not installed. */
    public static Optional<String> version() {
        try {
            Exec.Result r = Exec.run(List.of("tmux", "-V"), TIMEOUT);
            return r.ok() ? Optional.of(r.out().strip()) : Optional.empty();
        } catch (java.io.UncheckedIOException e) {
            return Optional.empty();
        }
    }

    public boolean hasSession(String session) {
        return exec(List.of("has-session", "-t", "=" + session)).ok();
    }

    /**
     * Creates a detached session whose first window runs {@code argv} (directly, never through a shell).
     *
     * @return the new pane's id
     */
    public String newSession(String session, String window, Path dir, Map<String, String> env, List<String> argv,
                             int width, int height) {
        List<String> args = new ArrayList<>(List.of("new-session", "-d", "-P", "-F", "#{pane_id}", "-s", session,
                "-n", window, "-x", Integer.toString(width), "-y", Integer.toString(height), "-c", dir.toString()));
        addEnv(args, env);
        args.addAll(direct(argv, env));
        keepDeadPanes(args, session, window);
        if (socket != null) {
            // On a server of rulemux's own, pass focus events on, as Claude Code asks (without them it shows a
            // notice in its footer for a while, over its context meter). The user's default server is left alone.
            args.addAll(List.of(";", "set-option", "-s", "focus-events", "on"));
        }
        return check(execUnlisted(args)).out().strip();
    }

    /** Adds a window running {@code argv} (directly) to {@code session}; returns the new pane's id. */
    public String newWindow(String session, String window, Path dir, Map<String, String> env, List<String> argv) {
        List<String> args = new ArrayList<>(List.of("new-window", "-d", "-P", "-F", "#{pane_id}", "-t", "=" + session + ":",
                "-n", window, "-c", dir.toString()));
        addEnv(args, env);
        args.addAll(direct(argv, env));
        keepDeadPanes(args, session, window);
        return check(execUnlisted(args)).out().strip();
    }

    /**
     * Attaches the user's terminal to {@code session}: a tmux client that inherits this process's terminal, so the
     * user watches (and may type into) the agents; it ends when the user detaches or {@link #detachClients} runs.
     * The variables of an enclosing tmux session are dropped, so that this works from inside tmux too.
     */
    public Process attach(String session) {
        ProcessBuilder pb = new ProcessBuilder(base(List.of("attach-session", "-t", "=" + session))).inheritIO();
        pb.environment().keySet().removeIf(Tmux::scrubbed);
        try {
            return pb.start();
        } catch (java.io.IOException e) {
            throw new TmuxException("tmux cannot be run (is it installed?): " + e.getMessage());
        }
    }

    /** Shows {@code text} in the status line of the clients attached to {@code session}. */
    public void message(String session, String text) {
        exec(List.of("display-message", "-t", "=" + session + ":", "-d", "0", text));
    }

    /** Detaches every client attached to {@code session} (their terminals go back to what ran them). */
    public void detachClients(String session) {
        exec(List.of("detach-client", "-s", "=" + session));
    }

    /** Restarts the program of pane {@code pane} (killing what runs there), with {@code argv} run directly. */
    public void respawn(String pane, Path dir, Map<String, String> env, List<String> argv) {
        List<String> args = new ArrayList<>(List.of("respawn-pane", "-k", "-t", pane, "-c", dir.toString()));
        addEnv(args, env);
        args.addAll(direct(argv, env));
        check(execUnlisted(args));
    }

    /** Every pane of {@code session}, in window order; empty when the session does not exist. */
    public List<Pane> panes(String session) {
        ControlClient client = control(session);
        if (client != null) {
            try {
                return parsePanes(client.command("list-panes -s -t =" + session + " -F \"" + PANE_FORMAT + "\"", TIMEOUT));
            } catch (TmuxException e) {
                dropControl();
            }
        }
        Exec.Result r = exec(List.of("list-panes", "-s", "-t", "=" + session, "-F", PANE_FORMAT));
        if (!r.ok()) {
            if (noSuchSession(r)) {
                return List.of();
            }
            throw failure(r);
        }
        return parsePanes(List.of(r.out().split("\n")));
    }

    private static List<Pane> parsePanes(List<String> lines) {
        List<Pane> out = new ArrayList<>();
        for (String line : lines) {
            if (line.isBlank()) {
                continue;
            }
            String[] f = line.split(FIELD, -1);
            out.add(new Pane(f[0], f[1], Integer.parseInt(f[2]), f[3], "1".equals(f[4]), f[5],
                    f[6].isEmpty() ? -1 : Integer.parseInt(f[6])));
        }
        return out;
    }

    /** The visible screen of {@code pane} as plain text, as {@code capture-pane -p} prints it. */
    public String capture(String pane) {
        ControlClient client;
        synchronized (this) {
            client = control != null && control.alive() ? control : null;
        }
        if (client != null && pane.matches("%\\d+")) {
            try {
                List<String> lines = client.command("capture-pane -p -t " + pane, TIMEOUT);
                return lines.isEmpty() ? "" : String.join("\n", lines) + "\n";
            } catch (TmuxException e) {
                if (e.getMessage().contains("can't find pane")) {
                    throw e;
                }
                dropControl();
            }
        }
        return check(exec(List.of("capture-pane", "-p", "-t", pane))).out();
    }

    /** The control client for reads, attached to {@code session} when it exists; null to read by process. */
    private synchronized ControlClient control(String session) {
        if (!controlMode || !session.matches("[A-Za-z0-9_-]+")) {
            return null;
        }
        if (control != null && control.alive() && session.equals(controlSession)) {
            return control;
        }
        dropControl();
        if (!hasSession(session)) {
            return null;
        }
        control = ControlClient.attach(base(List.of()), session, Tmux::scrubbed).orElse(null);
        controlSession = control == null ? null : session;
        return control;
    }

    private synchronized void dropControl() {
        if (control != null) {
            control.close();
            control = null;
            controlSession = null;
        }
    }

    /** Ends the control client, if any (the server and its panes are untouched). */
    public synchronized void close() {
        dropControl();
    }

    /**
     * Pastes {@code text} into {@code pane} through a uniquely named buffer: loaded from stdin, pasted with
     * bracketed-paste markers when the program asked for them, then deleted. Control and escape characters
     * are removed first (see {@link PasteText}), so the text cannot end the bracketed paste or drive the terminal.
     */
    public void paste(String pane, String text) {
        String buffer = "rulemux-" + UUID.randomUUID();
        check(run(Exec.Call.of(base(List.of("load-buffer", "-b", buffer, "-")), TIMEOUT).without(Tmux::scrubbed)
                .withStdin(PasteText.clean(text))));
        Exec.Result pasted = exec(List.of("paste-buffer", "-p", "-d", "-b", buffer, "-t", pane));
        if (!pasted.ok()) {
            exec(List.of("delete-buffer", "-b", buffer));
            throw failure(pasted);
        }
    }

    /** Presses keys by tmux key name ({@code Enter}, {@code Escape}, {@code C-c}, {@code 1}). Names come from profiles, never from prompts. */
    public void pressKeys(String pane, List<String> keys) {
        if (keys.isEmpty()) {
            return;
        }
        List<String> args = new ArrayList<>(List.of("send-keys", "-t", pane));
        args.addAll(keys);
        check(exec(args));
    }

    /** Types {@code text} literally ({@code send-keys -l}): each character is a character, never a key name. */
    public void typeLiteral(String pane, String text) {
        check(exec(List.of("send-keys", "-l", "-t", pane, PasteText.clean(text))));
    }

    public void killWindow(String pane) {
        check(exec(List.of("kill-window", "-t", pane)));
    }

    /**
     * Kills {@code session}, then ends the programs that ran in its panes: some CLIs (Gemini CLI) ignore the
     * hang-up tmux sends and would live on as orphans. Only those programs and their children are touched.
     */
    public void killSession(String session) {
        dropControl();
        List<ProcessHandle> programs = programsOf(List.of("list-panes", "-s", "-t", "=" + session, "-F", "#{pane_pid}"));
        Exec.Result r = exec(List.of("kill-session", "-t", "=" + session));
        if (!r.ok() && !noSuchSession(r)) {
            throw failure(r);
        }
        end(programs);
    }

    /**
     * Ends this socket's tmux server, the programs of all its panes, and removes its socket file (tmux 3.3a
     * leaves it behind). For private servers: tests, the demo.
     */
    public void killServer() {
        dropControl();
        List<ProcessHandle> programs = programsOf(List.of("list-panes", "-a", "-F", "#{pane_pid}"));
        Exec.Result where = exec(List.of("display-message", "-p", "#{socket_path}"));
        exec(List.of("kill-server"));
        end(programs);
        if (where.ok() && !where.out().isBlank()) {
            try {
                java.nio.file.Files.deleteIfExists(Path.of(where.out().strip()));
            } catch (java.io.IOException ignored) {
                // an empty socket file left in /tmp is harmless
            }
        }
    }

    private List<ProcessHandle> programsOf(List<String> listPanes) {
        List<ProcessHandle> programs = new ArrayList<>();
        Exec.Result r = exec(listPanes);
        if (!r.ok()) {
            return programs;
        }
        for (String line : r.out().split("\n")) {
            if (line.strip().matches("\\d+")) {
                ProcessHandle.of(Long.parseLong(line.strip())).ifPresent(programs::add);
            }
        }
        return ProcessTrees.withDescendants(programs);
    }

    private static void end(List<ProcessHandle> programs) {
        ProcessTrees.end(programs, GRACE);
    }

    /**
     * A CLI that exits or crashes must leave its pane on screen, dead, for the policy to see. The option is
     * set in the same tmux invocation as the window is made (a command sequence runs before tmux notices
     * the program's exit), or a program that ends at once would take its window with it.
     */
    private static void keepDeadPanes(List<String> args, String session, String window) {
        args.addAll(List.of(";", "set-option", "-p", "-t", "=" + session + ":=" + window, "remain-on-exit", "on"));
    }

    /** tmux's ways of saying there is no such session (or no server at all, hence no session). */
    private static boolean noSuchSession(Exec.Result r) {
        String err = r.err();
        return err.contains("can't find session") || err.contains("can't find window") || err.contains("no server running")
                || err.contains("error connecting");
    }

    private static void addEnv(List<String> args, Map<String, String> env) {
        env.forEach((k, v) -> {
            args.add("-e");
            args.add(k + "=" + v);
        });
    }

    /**
     * tmux runs a single-word command through {@code sh -c}; with two or more words it executes them directly.
     * Prefixing {@code env --} makes every command at least two words, so no shell ever sees it. PATH goes
     * through {@code env} too: tmux gives a new pane the PATH of the client that made it, whatever {@code -e}
     * says (other variables go with {@code -e}; {@link #execUnlisted} keeps all of them out of the process list).
     */
    static List<String> direct(List<String> argv, Map<String, String> env) {
        List<String> out = new ArrayList<>();
        out.add("env");
        out.add("--");
        if (env.containsKey("PATH")) {
            out.add("PATH=" + env.get("PATH"));
        }
        out.addAll(argv);
        return out;
    }

    /**
     * Runs the tmux commands {@code args} (words, with ";" between commands) without any of their words in a
     * process list: they are written, quoted for tmux's command parser, to a file only its owner can read, which the
     * tmux server reads ({@code tmux start-server ; source-file FILE}) and which is deleted at once. For the commands
     * that start an agent: its {@code env:} values (API keys) would otherwise be visible to every user in {@code ps}
     * while the tmux client runs.
     */
    private Exec.Result execUnlisted(List<String> args) {
        Path file = null;
        try {
            file = privateFile();
            Files.writeString(file, commandFile(args), StandardCharsets.UTF_8);
            return exec(List.of("start-server", ";", "source-file", file.toString()));
        } catch (IOException e) {
            throw new TmuxException("cannot write the tmux commands to a private file: " + e.getMessage());
        } finally {
            if (file != null) {
                try {
                    Files.deleteIfExists(file);
                } catch (IOException ignored) {
                    // a temp file only its owner can read; the system's temp cleaning removes it
                }
            }
        }
    }

    private static Path privateFile() throws IOException {
        if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
            return Files.createTempFile("rulemux-tmux-", ".conf", PosixFilePermissions.asFileAttribute(
                    PosixFilePermissions.fromString("rw-------")));
        }
        return Files.createTempFile("rulemux-tmux-", ".conf");
    }

    /** {@code args} as one line of a tmux command file: every word double-quoted, ";" left bare between commands. */
    static String commandFile(List<String> args) {
        StringBuilder b = new StringBuilder();
        for (String word : args) {
            if (b.length() > 0) {
                b.append(' ');
            }
            b.append(word.equals(";") ? ";" : quoted(word));
        }
        return b.append('\n').toString();
    }

    /**
     * {@code word} in double quotes as tmux's parser reads them (tmux 3.0 or later): a backslash, a double quote and
     * a dollar sign (which would expand a variable) escaped, control characters as octal escapes; nothing else is
     * special there ({@code ~}, {@code #{}}, {@code ;} and single quotes are read as they are).
     */
    static String quoted(String word) {
        StringBuilder b = new StringBuilder(word.length() + 2).append('"');
        for (int i = 0; i < word.length(); i++) {
            char c = word.charAt(i);
            if (c == '\\' || c == '"' || c == '$') {
                b.append('\\').append(c);
            } else if (c < 0x20 || c == 0x7F) {
                b.append(String.format("\\%03o", (int) c));
            } else {
                b.append(c);
            }
        }
        return b.append('"').toString();
    }

    /** Runs the tmux command {@code args} on this server; fails when tmux does. For {@link SeedsKeys} only (developer tooling). */
    void run(List<String> args) {
        check(exec(args));
    }

    private Exec.Result exec(List<String> args) {
        return run(Exec.Call.of(base(args), TIMEOUT).without(Tmux::scrubbed));
    }

    private static Exec.Result run(Exec.Call call) {
        try {
            return Exec.run(call);
        } catch (java.io.UncheckedIOException e) {
            throw new TmuxException("tmux cannot be run (is it installed?): " + e.getMessage());
        }
    }

    private List<String> base(List<String> args) {
        List<String> argv = new ArrayList<>();
        argv.add(program);
        if (configFile != null) {
            argv.add("-f");
            argv.add(configFile);
        }
        if (socket != null) {
            argv.add("-L");
            argv.add(socket);
        }
        argv.addAll(args);
        return argv;
    }

    private static Exec.Result check(Exec.Result r) {
        if (!r.ok()) {
            throw failure(r);
        }
        return r;
    }

    private static TmuxException failure(Exec.Result r) {
        return new TmuxException(r.describe());
    }
}
