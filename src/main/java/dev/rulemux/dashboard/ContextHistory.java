package dev.rulemux.dashboard;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Each agent's context use over the last {@link #SPAN_MS}, kept in memory by the web dashboard (the store keeps only
 * the latest value). A reading is taken at the time the loop recorded the agent; readings within one
 * {@link #STEP_MS} step keep the newest value, so an agent has at most {@link #MAX_POINTS} points.
 */
final class ContextHistory {

    static final long SPAN_MS = 30 * 60_000;
    static final long STEP_MS = 3_000;
    static final int MAX_POINTS = (int) (SPAN_MS / STEP_MS);

    /** One reading: when (epoch ms) and % of the context used. */
    record Point(long at, int percent) {
    }

    private final Map<String, Deque<Point>> points = new LinkedHashMap<>();

    /** Adds the readings of {@code view}'s agents and forgets those older than the span before {@code view.at()}. */
    synchronized void sample(TeamView view) {
        for (TeamView.AgentView a : view.agents()) {
            if (a.seen() && a.contextUsed() != null) {
                add(points.computeIfAbsent(a.name(), n -> new ArrayDeque<>()), new Point(a.updatedAt(), a.contextUsed()));
            }
        }
        long oldest = view.at() - SPAN_MS;
        points.values().forEach(d -> {
            while (!d.isEmpty() && (d.size() > MAX_POINTS || d.peekFirst().at() < oldest)) {
                d.removeFirst();
            }
        });
        points.values().removeIf(Deque::isEmpty);
    }

    private static void add(Deque<Point> d, Point p) {
        Point last = d.peekLast();
        if (last != null && p.at() < last.at()) {
            return; // an older row than the one already read
        }
        if (last != null && p.at() / STEP_MS == last.at() / STEP_MS) {
            d.removeLast();
        }
        d.addLast(p);
    }

    /** Each agent's readings, oldest first. */
    synchronized Map<String, List<Point>> snapshot() {
        Map<String, List<Point>> copy = new LinkedHashMap<>();
        points.forEach((name, d) -> copy.put(name, List.copyOf(d)));
        return copy;
    }
}
