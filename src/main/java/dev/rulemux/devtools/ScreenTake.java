package dev.rulemux.devtools;

import dev.rulemux.sim.MockModelServer;
import dev.rulemux.sim.MockRequest;
import dev.rulemux.sim.RealClis;
import dev.rulemux.sim.RealClis.Sandbox;
import dev.rulemux.terminal.Pane;
import dev.rulemux.tmux.Tmux;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One take of a screen recording: bash in a tmux pane, maybe with an agent CLI started from it against a mock
 * model server of its own, driven step by step. Every step goes into a log, in words, with how long each wait
 * took: the log becomes the "how it was recorded" of each fixture captured in the take.
 *
 * <p>Waits poll the screen for a condition (text showing, text gone, the screen holding still) and end with
 * {@link TimedOut}, which carries the last screen, when the condition does not come in time.
 */
final class ScreenTake implements AutoCloseable {

    static final int WIDTH = 200;
    static final int HEIGHT = 50;
    /** The shell prompt of every take: fixed, so the screens do not depend on the machine. */
    static final String PS1 = "shell$ ";
    /** The pause between a pasted prompt and its Enter: more than each CLI's paste-burst window. */
    static final Duration SUBMIT_DELAY = Duration.ofMillis(250);
    private static final Duration POLL = Duration.ofMillis(100);
    private static final Duration SHELL_START = Duration.ofSeconds(15);
    private static final String WINDOW = "main";
    private static final Logger LOG = LoggerFactory.getLogger(ScreenTake.class);

    /** A wait that ran out. */
    static final class TimedOut extends RuntimeException {

        private static final long serialVersionUID = 1L;
        private final transient String screen;

        TimedOut(String message, String screen) {
            super(message);
            this.screen = screen;
        }

        /** The screen when the wait gave up. */
        String screen() {
            return screen;
        }
    }

    private final Tmux tmux;
    private final String session;
    private final String pane;
    private final Optional<MockModelServer> mock;
    private final Optional<Sandbox> sandbox;
    private final List<String> log = new ArrayList<>();
    private final List<String> notes = new ArrayList<>();
    private int turnsBefore;
    private Instant lastEnter = Instant.now();

    private ScreenTake(Tmux tmux, String session, String pane, Optional<MockModelServer> mock, Optional<Sandbox> sandbox) {
        this.tmux = tmux;
        this.session = session;
        this.pane = pane;
        this.mock = mock;
        this.sandbox = sandbox;
    }

    /**
     * Starts {@code bash --norc} (prompt {@value #PS1}) in a new 200x50 session {@code session}, in {@code dir},
     * with {@code env} added, and waits for its prompt.
     */
    static ScreenTake shell(Tmux tmux, String session, Path dir, Map<String, String> env) {
        return start(tmux, session, dir, env, Optional.empty(), Optional.empty());
    }

    /**
     * Starts bash as {@link #shell} does, with the sandbox's environment and the CLIs' directory first on PATH,
     * then types the CLI's command line (its name, not its path: the screen shows it) and Enter. The take
     * owns {@code mock} and {@code sandbox} from now on and closes them.
     */
    static ScreenTake cli(Tmux tmux, String session, Sandbox sandbox, MockModelServer mock, Path binDir) {
        Map<String, String> env = new LinkedHashMap<>(sandbox.env());
        env.put("PATH", binDir + java.io.File.pathSeparator + System.getenv().getOrDefault("PATH", "/usr/bin:/bin"));
        ScreenTake take;
        try {
            take = start(tmux, session, sandbox.workdir(), env, Optional.of(mock), Optional.of(sandbox));
        } catch (RuntimeException e) {
            sandbox.close();
            mock.close();
            throw e;
        }
        List<String> words = new ArrayList<>();
        words.add(sandbox.cli().executable());
        words.addAll(sandbox.command().subList(1, sandbox.command().size()));
        String commandLine = String.join(" ", words);
        try {
            take.tmux.typeLiteral(take.pane, commandLine);
            take.tmux.pressKeys(take.pane, List.of("Enter"));
        } catch (RuntimeException e) {
            take.close();
            throw e;
        }
        take.log("typed `%s` and pressed Enter", commandLine);
        return take;
    }

    private static ScreenTake start(Tmux tmux, String session, Path dir, Map<String, String> extraEnv,
            Optional<MockModelServer> mock, Optional<Sandbox> sandbox) {
        Map<String, String> env = new LinkedHashMap<>(extraEnv);
        env.put("PS1", PS1);
        env.put("HISTFILE", "/dev/null");
        // tmux gives a new session's first pane the PATH of the client that made it, whatever -e says:
        // set it on the command line instead (tmux runs `env PATH=… bash --norc`).
        List<String> argv = new ArrayList<>();
        String path = env.remove("PATH");
        if (path != null) {
            argv.addAll(List.of("env", "PATH=" + path));
        }
        argv.addAll(List.of("bash", "--norc"));
        String pane = tmux.newSession(session, WINDOW, dir, env, argv, WIDTH, HEIGHT);
        ScreenTake take = new ScreenTake(tmux, session, pane, mock, sandbox);
        take.log("started `bash --norc` with PS1 `%s` in a %dx%d tmux pane, in %s", PS1, WIDTH, HEIGHT, dir);
        try {
            take.waitFor("the shell prompt", s -> lastLine(s).equals(PS1.strip()), SHELL_START, false);
        } catch (RuntimeException e) {
            tmux.killSession(session);
            throw e;
        }
        return take;
    }

    /** The steps so far, one sentence each. */
    List<String> log() {
        return List.copyOf(log);
    }

    /** Remarks on what happened (not steps), for the fixture's README entry. */
    List<String> notes() {
        return List.copyOf(notes);
    }

    void note(String format, Object... args) {
        notes.add(String.format(Locale.ROOT, format, args));
    }

    String capture() {
        return tmux.capture(pane);
    }

    /** The pane's foreground command ({@code bash}, {@code node}, {@code sleep}…), "" when the pane is gone. */
    String foregroundCommand() {
        return tmux.panes(session).stream().filter(p -> p.id().equals(pane)).map(Pane::currentCommand)
                .findFirst().orElse("");
    }

    /** Waits until the screen satisfies {@code wanted}; {@code what} names the condition in the log. */
    String waitFor(String what, Predicate<String> wanted, Duration timeout) {
        return waitFor(what, wanted, timeout, true);
    }

    private String waitFor(String what, Predicate<String> wanted, Duration timeout, boolean logIt) {
        long start = System.nanoTime();
        long end = start + timeout.toNanos();
        String screen = capture();
        while (!wanted.test(screen)) {
            if (System.nanoTime() > end) {
                throw new TimedOut("timed out after " + seconds(timeout) + " waiting for " + what, screen);
            }
            pause(POLL);
            screen = capture();
        }
        if (logIt) {
            log("waited %s until %s", seconds(Duration.ofNanos(System.nanoTime() - start)), what);
        }
        return screen;
    }

    /** Waits until {@code text} shows on the screen. */
    String waitForText(String text, Duration timeout) {
        return waitFor("the screen showed `" + text + "`", s -> s.contains(text), timeout);
    }

    /**
     * Waits out a notice that shows for a while some time after start: up to {@code showsWithin} for
     * {@code text} to show, then until it is gone again (up to {@code timeout} in all). A notice that does not
     * show in time is logged as such, not an error.
     */
    String waitOutNotice(String text, String what, Duration showsWithin, Duration timeout) {
        long start = System.nanoTime();
        String screen = capture();
        while (!screen.contains(text)) {
            if (System.nanoTime() - start > showsWithin.toNanos()) {
                log("waited %s for %s, which did not show", seconds(showsWithin), what);
                return screen;
            }
            pause(POLL);
            screen = capture();
        }
        long shown = System.nanoTime();
        long end = start + timeout.toNanos();
        while (screen.contains(text)) {
            if (System.nanoTime() > end) {
                throw new TimedOut("timed out after " + seconds(timeout) + " waiting for " + what + " to go", screen);
            }
            pause(POLL);
            screen = capture();
        }
        log("waited %s until %s (`%s`) showed, and %s until it was gone", seconds(Duration.ofNanos(shown - start)),
                what, text, seconds(Duration.ofNanos(System.nanoTime() - shown)));
        return screen;
    }

    /** Waits until the screen has not changed for {@code quiet}. */
    String waitUntilStill(Duration quiet, Duration timeout) {
        long start = System.nanoTime();
        long end = start + timeout.toNanos();
        String screen = capture();
        long stillSince = System.nanoTime();
        while (System.nanoTime() - stillSince < quiet.toNanos()) {
            if (System.nanoTime() > end) {
                throw new TimedOut("timed out after " + seconds(timeout) + " waiting for the screen to hold still for "
                        + quiet.toMillis() + " ms", screen);
            }
            pause(POLL);
            String next = capture();
            if (!next.equals(screen)) {
                screen = next;
                stillSince = System.nanoTime();
            }
        }
        log("waited %s until the screen had not changed for %d ms", seconds(Duration.ofNanos(System.nanoTime() - start)),
                quiet.toMillis());
        return screen;
    }

    /** Delivers a prompt the way rulemux does: a bracketed paste, a pause, then Enter on its own. */
    void deliver(String prompt) {
        turnsBefore = turns();
        tmux.paste(pane, prompt);
        pause(SUBMIT_DELAY);
        tmux.pressKeys(pane, List.of("Enter"));
        lastEnter = Instant.now();
        log("pasted `%s` (load-buffer, paste-buffer -p), waited %d ms, pressed Enter", prompt, SUBMIT_DELAY.toMillis());
    }

    /** Pastes {@code text} as {@link #deliver} does, without the Enter. */
    void pasteWithoutEnter(String text, String description) {
        turnsBefore = turns();
        tmux.paste(pane, text);
        log("pasted %s (load-buffer, paste-buffer -p) and pressed nothing", description);
    }

    /** The bug users hit: text and Enter in one {@code send-keys}. */
    void sendNaively(String text) {
        turnsBefore = turns();
        dev.rulemux.tmux.SeedsKeys.sendKeysNaively(tmux, pane, text);
        lastEnter = Instant.now();
        log("sent `%s` and Enter in one call, the naive way: `tmux send-keys -t PANE \"TEXT\" Enter`", text);
    }

    /** Types {@code text} with {@code send-keys -l}, no Enter. */
    void type(String text) {
        tmux.typeLiteral(pane, text);
        log("typed `%s` (send-keys -l)", text);
    }

    void press(String... keys) {
        tmux.pressKeys(pane, List.of(keys));
        log("pressed %s", String.join(" ", keys));
    }

    /**
     * Waits until the mock has received the agent turn of the prompt sent last (a request with tools, not
     * the one answering a tool call); returns when it arrived.
     */
    Instant awaitTurn(Duration timeout) {
        MockModelServer server = mock.orElseThrow(() -> new IllegalStateException("a shell take has no mock"));
        int wanted = turnsBefore + 1;
        long end = System.nanoTime() + timeout.toNanos();
        while (turns() < wanted) {
            if (System.nanoTime() > end) {
                throw new TimedOut("timed out after " + seconds(timeout) + " waiting for the mock to receive the turn",
                        capture());
            }
            pause(POLL);
        }
        Instant at = server.requests().stream().filter(ScreenTake::isTurn).skip(turnsBefore).findFirst()
                .map(MockRequest::at).orElseGet(Instant::now);
        log("the mock received the turn %s after the Enter", seconds(Duration.between(lastEnter, at)));
        return at;
    }

    /** True when the mock has received an agent turn since the last prompt went in. */
    boolean mockGotATurn() {
        return turns() > turnsBefore;
    }

    /** Sleeps until {@code at} plus {@code after}; {@code since} names {@code at} in the log. */
    void waitUntil(Instant at, Duration after, String since) {
        Duration left = Duration.between(Instant.now(), at.plus(after));
        if (!left.isNegative()) {
            pause(left);
        }
        log("waited until %s after %s", seconds(after), since);
    }

    private int turns() {
        return mock.map(m -> (int) m.requests().stream().filter(ScreenTake::isTurn).count()).orElse(0);
    }

    private static boolean isTurn(MockRequest r) {
        return r.agentTurn() && !r.toolResult();
    }

    void log(String format, Object... args) {
        log.add(String.format(Locale.ROOT, format, args));
    }

    /**
     * Ends the session and everything in it, the CLI's strays and the mock. Best effort: a tmux failure here
     * leaves the session to the recorder's final {@link Tmux#killServer}.
     */
    @Override
    public void close() {
        try {
            tmux.killSession(session);
        } catch (RuntimeException e) {
            LOG.warn("cannot kill the tmux session {}: {}", session, e.getMessage());
        } finally {
            sandbox.ifPresent(Sandbox::close);
            mock.ifPresent(MockModelServer::close);
        }
    }

    /** The last non-blank line of a screen, stripped. */
    static String lastLine(String screen) {
        List<String> lines = screen.lines().filter(l -> !l.isBlank()).toList();
        return lines.isEmpty() ? "" : lines.get(lines.size() - 1).strip();
    }

    static String seconds(Duration d) {
        return String.format(Locale.ROOT, "%.1f s", d.toMillis() / 1000.0);
    }

    private static void pause(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while recording", e);
        }
    }
}
