package dev.rulemux.terminal;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One terminal over several machines: each agent's window lives on this machine's terminal or on its host's, by the
 * agent's (window's) name. Pane ids of other hosts are qualified with the host ({@code box:%3}), since tmux numbers
 * panes per server and {@code %3} exists on every one; this machine's keep tmux's own ids. A host that is down leaves
 * its panes out of {@link #panes} (the loop sees those agents as missing, the policy as on a host that is down) and
 * makes every call on its panes fail with {@link TerminalException}; the other machines are untouched.
 */
public final class HostRouter implements Terminal {

    private static final String SEPARATOR = ":";

    private final Terminal local;
    private final Map<String, Terminal> hosts;
    private final Map<String, String> hostOfWindow;
    private final int width;
    private final int height;

    /**
     * @param local        this machine's terminal
     * @param hosts        each other host's terminal, by host
     * @param hostOfWindow the host of each agent (window) that is not on this machine
     * @param width        the size of a session made on a host by {@link #newWindow} (its first window there)
     * @param height       idem
     */
    public HostRouter(Terminal local, Map<String, ? extends Terminal> hosts, Map<String, String> hostOfWindow, int width,
                      int height) {
        this.local = local;
        this.hosts = new LinkedHashMap<>(hosts);
        this.hostOfWindow = Map.copyOf(hostOfWindow);
        this.width = width;
        this.height = height;
        for (String host : hostOfWindow.values()) {
            if (!this.hosts.containsKey(host)) {
                throw new IllegalArgumentException("no terminal for host " + host);
            }
        }
    }

    /** {@code pane} of {@code host} as this router names it. */
    public static String qualified(String host, String pane) {
        return host == null ? pane : host + SEPARATOR + pane;
    }

    /** The host of a pane id this router gave, or empty for this machine's. */
    public static Optional<String> hostOf(String pane) {
        int at = pane.lastIndexOf(SEPARATOR + "%");
        return at <= 0 ? Optional.empty() : Optional.of(pane.substring(0, at));
    }

    private static String bare(String pane) {
        int at = pane.lastIndexOf(SEPARATOR + "%");
        return at <= 0 ? pane : pane.substring(at + 1);
    }

    private Terminal ofPane(String pane) {
        Optional<String> host = hostOf(pane);
        if (host.isEmpty()) {
            return local;
        }
        Terminal t = hosts.get(host.get());
        if (t == null) {
            throw new TerminalException("no such host: " + host.get() + " (pane " + pane + ")");
        }
        return t;
    }

    private String hostOfWindow(String window) {
        return hostOfWindow.get(window);
    }

    private Terminal ofWindow(String window) {
        String host = hostOfWindow(window);
        return host == null ? local : hosts.get(host);
    }

    @Override
    public boolean installed() {
        return local.installed();
    }

    @Override
    public Optional<String> server() {
        return local.server();
    }

    /** Whether the session exists on any machine (a host that is down counts as not having it). */
    @Override
    public boolean hasSession(String session) {
        if (local.hasSession(session)) {
            return true;
        }
        for (Terminal t : hosts.values()) {
            try {
                if (t.hasSession(session)) {
                    return true;
                }
            } catch (TerminalException e) {
                // down: asked again when a window is made there
            }
        }
        return false;
    }

    @Override
    public String newSession(String session, String window, Path dir, Map<String, String> env, List<String> argv,
                             int width, int height) {
        Terminal t = ofWindow(window);
        return qualified(hostOfWindow(window), t.newSession(session, window, dir, env, argv, width, height));
    }

    /** Adds the window on its machine, making the session there first when that machine has none yet. */
    @Override
    public String newWindow(String session, String window, Path dir, Map<String, String> env, List<String> argv) {
        Terminal t = ofWindow(window);
        String pane = t.hasSession(session) ? t.newWindow(session, window, dir, env, argv)
                : t.newSession(session, window, dir, env, argv, width, height);
        return qualified(hostOfWindow(window), pane);
    }

    @Override
    public void respawn(String pane, Path dir, Map<String, String> env, List<String> argv) {
        ofPane(pane).respawn(bare(pane), dir, env, argv);
    }

    /** The panes of every machine that answers: this one's first, then each host's, in the order given. */
    @Override
    public List<Pane> panes(String session) {
        List<Pane> out = new ArrayList<>(local.panes(session));
        hosts.forEach((host, t) -> {
            try {
                for (Pane p : t.panes(session)) {
                    out.add(new Pane(p.session(), p.window(), p.windowIndex(), qualified(host, p.id()), p.dead(),
                            p.currentCommand(), -1));
                }
            } catch (TerminalException e) {
                // down: its agents are missing this tick, and links() says why
            }
        });
        return out;
    }

    @Override
    public String capture(String pane) {
        return ofPane(pane).capture(bare(pane));
    }

    @Override
    public void paste(String pane, String text) {
        ofPane(pane).paste(bare(pane), text);
    }

    @Override
    public void pressKeys(String pane, List<String> keys) {
        ofPane(pane).pressKeys(bare(pane), keys);
    }

    @Override
    public void typeLiteral(String pane, String text) {
        ofPane(pane).typeLiteral(bare(pane), text);
    }

    @Override
    public void killWindow(String pane) {
        ofPane(pane).killWindow(bare(pane));
    }

    /** Ends the session on every machine that answers; a host that is down keeps its session (and its agents). */
    @Override
    public void killSession(String session) {
        local.killSession(session);
        for (Terminal t : hosts.values()) {
            try {
                t.killSession(session);
            } catch (TerminalException e) {
                // down: nothing to do there now
            }
        }
    }

    @Override
    public List<Link> links() {
        List<Link> out = new ArrayList<>();
        hosts.values().forEach(t -> out.addAll(t.links()));
        return out;
    }

    @Override
    public Map<String, String> takeReports(String session) {
        Map<String, String> out = new LinkedHashMap<>(local.takeReports(session));
        for (Terminal t : hosts.values()) {
            try {
                out.putAll(t.takeReports(session));
            } catch (TerminalException e) {
                // down: its reports wait on its panes for the link to come back
            }
        }
        return out;
    }

    @Override
    public void close() {
        local.close();
        hosts.values().forEach(Terminal::close);
    }
}
