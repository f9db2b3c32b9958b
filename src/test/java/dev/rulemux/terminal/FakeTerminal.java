package dev.rulemux.terminal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Test helper: a terminal in memory. Each pane shows a screen the spec chose, most often one recorded from a real
 * CLI ({@code src/test/resources/screens/<profile>/<name>.txt}); what is pasted, typed and pressed into it is
 * recorded, and may change its screen as the spec says (a paste leaves the prompt in the input box, the second
 * Enter submits it). Any kind of call can be told to fail, as tmux does when a pane or the server goes away.
 * Panes are known by their window's name, which for a team is the agent's name.
 */
public final class FakeTerminal implements Terminal {

    /** Where the recorded screens are. */
    public static final Path SCREENS = Path.of("src/test/resources/screens");

    /** The calls a spec can make fail. */
    public enum Call { PANES, CAPTURE, PASTE, PRESS_KEYS, TYPE, START, RESPAWN, KILL }

    /** One thing that reached a pane: pasted or typed text, or keys pressed. */
    public record Input(String window, Kind kind, String text, List<String> keys) {

        public enum Kind { PASTE, TYPE, KEYS }

        @Override
        public String toString() {
            return window + " " + kind + " " + (kind == Kind.KEYS ? keys : text);
        }
    }

    private static final class FakePane {
        final String session;
        final String window;
        final int index;
        final String id;
        String screen = "";
        boolean dead;
        String command = "node";
        int launches = 1;
        /** The screens shown after successive pastes / presses of a key (the last one stays). */
        final List<String> afterPaste = new ArrayList<>();
        final Map<String, List<String>> afterKey = new LinkedHashMap<>();
        int pastes;
        final Map<String, Integer> presses = new LinkedHashMap<>();
        /** How many captures after a paste still show the screen before it (a CLI drawing the paste late). */
        int drawnAfterLooks;
        String drawing;
        int looksLeft;

        FakePane(String session, String window, int index, String id) {
            this.session = session;
            this.window = window;
            this.index = index;
            this.id = id;
        }

        Pane pane() {
            return new Pane(session, window, index, id, dead, command, 10_000 + index);
        }
    }

    private final Map<String, FakePane> panes = new LinkedHashMap<>();
    private final Map<String, String> startScreens = new LinkedHashMap<>();
    private final List<Input> inputs = new ArrayList<>();
    private final List<String> launched = new ArrayList<>();
    private final java.util.Map<String, List<String>> argvs = new java.util.HashMap<>();
    private final Map<Call, String> failing = new EnumMap<>(Call.class);
    private final Map<String, java.util.concurrent.CountDownLatch> pasteGates = new java.util.HashMap<>();
    private int nextId;
    private boolean closed;

    // ---- given ------------------------------------------------------------------------------------------------

    /** Session {@code session} runs one window per name in {@code windows}, each showing an empty screen. */
    public synchronized FakeTerminal running(String session, String... windows) {
        for (String w : windows) {
            add(session, w);
        }
        return this;
    }

    /** The window of {@code window}, when it is started, first shows the recorded screen {@code fixture}. */
    public synchronized FakeTerminal startsShowing(String window, String fixture) {
        startScreens.put(window, recorded(fixture));
        return this;
    }

    /** {@code window} shows the recorded screen {@code fixture} ({@code "codex/idle"}) from now on. */
    public synchronized FakeTerminal shows(String window, String fixture) {
        return showsText(window, recorded(fixture));
    }

    /** {@code window} shows {@code text} from now on. */
    public synchronized FakeTerminal showsText(String window, String text) {
        pane(window).screen = text;
        return this;
    }

    /** The program of {@code window} has ended; the pane stays, dead, showing what it showed last. */
    public synchronized FakeTerminal dies(String window) {
        pane(window).dead = true;
        return this;
    }

    /** Each paste into {@code window} shows the next of {@code fixtures} (the last one stays for later pastes). */
    public synchronized FakeTerminal afterPasteShows(String window, String... fixtures) {
        for (String f : fixtures) {
            pane(window).afterPaste.add(recorded(f));
        }
        return this;
    }

    /**
     * The screen a paste into {@code window} shows (see {@link #afterPasteShows}) is drawn only from the
     * {@code looks}-th capture after the paste on: the captures before it still show the screen before the paste.
     */
    public synchronized FakeTerminal drawsPasteAfterLooks(String window, int looks) {
        pane(window).drawnAfterLooks = looks;
        return this;
    }

    /** Each press of {@code key} in {@code window} shows the next of {@code fixtures} (the last one stays). */
    public synchronized FakeTerminal afterKeyShows(String window, String key, String... fixtures) {
        List<String> screens = pane(window).afterKey.computeIfAbsent(key, k -> new ArrayList<>());
        for (String f : fixtures) {
            screens.add(recorded(f));
        }
        return this;
    }

    /** Every {@code call} fails from now on, with {@code message}, until {@link #recovers}. */
    public synchronized FakeTerminal fails(Call call, String message) {
        failing.put(call, message);
        return this;
    }

    public synchronized FakeTerminal recovers(Call call) {
        failing.remove(call);
        return this;
    }

    /** A screen recorded from a real CLI. */
    public static String recorded(String fixture) {
        try {
            return Files.readString(SCREENS.resolve(fixture + ".txt"), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    // ---- then -------------------------------------------------------------------------------------------------

    /** Everything that reached any pane, in order. */
    public synchronized List<Input> inputs() {
        return List.copyOf(inputs);
    }

    /** What reached {@code window}, in order. */
    public synchronized List<Input> inputs(String window) {
        return inputs.stream().filter(i -> i.window().equals(window)).toList();
    }

    /** The texts pasted into {@code window}, in order. */
    public synchronized List<String> pasted(String window) {
        return inputs(window).stream().filter(i -> i.kind() == Input.Kind.PASTE).map(Input::text).toList();
    }

    /** The keys pressed in {@code window}, one list per call, in order. */
    public synchronized List<List<String>> pressed(String window) {
        return inputs(window).stream().filter(i -> i.kind() == Input.Kind.KEYS).map(Input::keys).toList();
    }

    /** The command line {@code window} was last started (made or respawned) with. */
    public synchronized List<String> argv(String window) {
        return argvs.getOrDefault(window, List.of());
    }

    /** The windows started (made or respawned), in order. */
    public synchronized List<String> launched() {
        return List.copyOf(launched);
    }

    public synchronized String screen(String window) {
        return pane(window).screen;
    }

    public synchronized boolean closed() {
        return closed;
    }

    // ---- Terminal ---------------------------------------------------------------------------------------------

    @Override
    public boolean installed() {
        return true;
    }

    @Override
    public Optional<String> server() {
        return Optional.of("a fake terminal");
    }

    @Override
    public synchronized boolean hasSession(String session) {
        fail(Call.PANES);
        return panes.values().stream().anyMatch(p -> p.session.equals(session));
    }

    @Override
    public synchronized String newSession(String session, String window, Path dir, Map<String, String> env,
                                          List<String> argv, int width, int height) {
        fail(Call.START);
        argvs.put(window, List.copyOf(argv));
        return start(session, window);
    }

    @Override
    public synchronized String newWindow(String session, String window, Path dir, Map<String, String> env, List<String> argv) {
        fail(Call.START);
        argvs.put(window, List.copyOf(argv));
        return start(session, window);
    }

    @Override
    public synchronized void respawn(String pane, Path dir, Map<String, String> env, List<String> argv) {
        fail(Call.RESPAWN);
        FakePane p = byId(pane);
        p.dead = false;
        p.launches++;
        p.screen = startScreens.getOrDefault(p.window, "");
        launched.add(p.window);
        argvs.put(p.window, List.copyOf(argv));
    }

    @Override
    public synchronized List<Pane> panes(String session) {
        fail(Call.PANES);
        return panes.values().stream().filter(p -> p.session.equals(session)).map(FakePane::pane).toList();
    }

    @Override
    public synchronized String capture(String pane) {
        fail(Call.CAPTURE);
        FakePane p = byId(pane);
        if (p.drawing != null && --p.looksLeft <= 0) {
            p.screen = p.drawing;
            p.drawing = null;
        }
        return p.screen;
    }

    /** A paste into {@code window} does not return before {@code released} is counted down (a CLI slow to take it). */
    public synchronized FakeTerminal pasteWaitsFor(String window, java.util.concurrent.CountDownLatch released) {
        pasteGates.put(pane(window).id, released);
        return this;
    }

    @Override
    public void paste(String pane, String text) {
        java.util.concurrent.CountDownLatch gate;
        synchronized (this) {
            gate = pasteGates.get(pane);
        }
        if (gate != null) {
            try {
                gate.await();   // outside the lock: the other panes go on being captured and typed into
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        pasteNow(pane, text);
    }

    private synchronized void pasteNow(String pane, String text) {
        fail(Call.PASTE);
        FakePane p = byId(pane);
        inputs.add(new Input(p.window, Input.Kind.PASTE, text, List.of()));
        if (!p.afterPaste.isEmpty()) {
            String next = p.afterPaste.get(Math.min(p.pastes, p.afterPaste.size() - 1));
            if (p.drawnAfterLooks > 0) {
                p.drawing = next;
                p.looksLeft = p.drawnAfterLooks;
            } else {
                p.screen = next;
            }
        }
        p.pastes++;
    }

    @Override
    public synchronized void pressKeys(String pane, List<String> keys) {
        fail(Call.PRESS_KEYS);
        FakePane p = byId(pane);
        inputs.add(new Input(p.window, Input.Kind.KEYS, null, List.copyOf(keys)));
        for (String key : keys) {
            List<String> screens = p.afterKey.get(key);
            int n = p.presses.merge(key, 1, Integer::sum);
            if (screens != null && !screens.isEmpty()) {
                p.screen = screens.get(Math.min(n - 1, screens.size() - 1));
            }
        }
    }

    @Override
    public synchronized void typeLiteral(String pane, String text) {
        fail(Call.TYPE);
        inputs.add(new Input(byId(pane).window, Input.Kind.TYPE, text, List.of()));
    }

    @Override
    public synchronized void killWindow(String pane) {
        fail(Call.KILL);
        panes.remove(byId(pane).window);
    }

    @Override
    public synchronized void killSession(String session) {
        fail(Call.KILL);
        panes.values().removeIf(p -> p.session.equals(session));
    }

    @Override
    public synchronized void close() {
        closed = true;
    }

    private String start(String session, String window) {
        FakePane p = add(session, window);
        p.screen = startScreens.getOrDefault(window, "");
        launched.add(window);
        return p.id;
    }

    private FakePane add(String session, String window) {
        FakePane p = new FakePane(session, window, panes.size(), "%" + nextId++);
        panes.put(window, p);
        return p;
    }

    private FakePane pane(String window) {
        FakePane p = panes.get(window);
        if (p == null) {
            throw new IllegalArgumentException("no window " + window + " in the fake terminal (it has " + panes.keySet() + ")");
        }
        return p;
    }

    private FakePane byId(String id) {
        return panes.values().stream().filter(p -> p.id.equals(id)).findFirst()
                .orElseThrow(() -> new TerminalException("can't find pane: " + id));
    }

    private void fail(Call call) {
        String message = failing.get(call);
        if (message != null) {
            throw new TerminalException(message);
        }
    }
}
