package dev.rulemux.dashboard;

import dev.rulemux.store.StateStore;
import java.io.PrintWriter;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * {@code rulemux watch}: the {@link TerminalDashboard} of a state database, redrawn in place every interval, or
 * printed once. Each refresh asks the store for its {@link StateStore#mark() mark} and reads the team again only
 * when the mark moved, the terminal grew, or a second has passed (ages, and whether a loop runs, change with
 * time alone); a frame identical to the one on screen is not sent again.
 */
public final class Watch {

    /** The team is read again at least this often, for the ages and the loop's liveness. */
    static final long REREAD_MS = 1000;

    /** Waits between two refreshes. */
    @FunctionalInterface
    public interface Pause {
        void pause(long ms) throws InterruptedException;
    }

    /**
     * How to watch.
     *
     * @param inPlace    redraw on the terminal's alternate screen; else print one frame, without escape codes
     *                   other than the dashboard's colours
     * @param refreshes  in place, stop after this many refreshes (0: until interrupted)
     * @param intervalMs the time between two refreshes
     */
    public record Settings(boolean inPlace, int refreshes, long intervalMs) {
    }

    private final StateStore store;
    private final List<String> declared;
    private final TerminalDashboard dashboard;
    private final Clock clock;
    private final Supplier<TerminalSize.Size> size;
    private final Pause pause;
    private final Map<String, String> hosts;

    /**
     * @param declared the agents of agents.yaml, shown before a loop has seen them
     * @param size     the terminal's size, asked at each refresh
     */
    public Watch(StateStore store, List<String> declared, TerminalDashboard dashboard, Clock clock,
                 Supplier<TerminalSize.Size> size, Pause pause) {
        this(store, declared, Map.of(), dashboard, clock, size, pause);
    }

    /** As above, with the host of each agent not on this machine (shown as {@code name@host}). */
    public Watch(StateStore store, List<String> declared, Map<String, String> hosts, TerminalDashboard dashboard, Clock clock,
                 Supplier<TerminalSize.Size> size, Pause pause) {
        this.hosts = Map.copyOf(hosts);
        this.store = store;
        this.declared = List.copyOf(declared);
        this.dashboard = dashboard;
        this.clock = clock;
        this.size = size;
        this.pause = pause;
    }

    /** Shows the team on {@code out}; returns when done or interrupted, the terminal given back as it was. */
    public void run(PrintWriter out, Settings settings) {
        if (!settings.inPlace()) {
            long now = clock.millis();
            TerminalSize.Size s = size.get();
            dashboard.frame(TeamView.read(store, declared, hosts, s.rows(), now), s.columns(), s.rows(), now).forEach(out::println);
            out.flush();
            return;
        }
        try (TerminalScreen screen = TerminalScreen.enter(out)) {
            StateStore.Mark mark = null;
            TeamView view = null;
            int readRows = 0;
            String shown = null;
            for (int n = 0; settings.refreshes() == 0 || n < settings.refreshes(); n++) {
                if (n > 0) {
                    try {
                        pause.pause(settings.intervalMs());
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        break;
                    }
                }
                long now = clock.millis();
                TerminalSize.Size s = size.get();
                StateStore.Mark latest = store.mark();
                if (view == null || !latest.equals(mark) || s.rows() > readRows || now - view.at() >= REREAD_MS) {
                    view = TeamView.read(store, declared, hosts, s.rows(), now);
                    mark = latest;
                    readRows = s.rows();
                }
                String frame = TerminalScreen.frame(dashboard.frame(view, s.columns(), s.rows(), now), s.columns());
                if (!frame.equals(shown)) {
                    screen.draw(frame);
                    shown = frame;
                }
            }
        }
    }
}
