package dev.rulemux.loop;

import dev.rulemux.domain.PaneSnapshot;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Remembers each agent's last screen and since when it has looked like that. A pane whose screen, command and
 * state did not change gives the very same snapshot again (an instant, not an age: nothing in it moves with the
 * clock), so the policy's long-lived session has nothing to match again for it.
 */
final class ScreenHistory {

    private final Map<String, PaneSnapshot> seen = new HashMap<>();

    /** A snapshot of {@code text}, captured at {@code now}, with since when the screen has looked exactly like this. */
    synchronized PaneSnapshot snapshot(String agent, String text, boolean dead, String command, long launchedAt, long now) {
        PaneSnapshot last = seen.get(agent);
        if (last != null && last.text().equals(text) && last.dead() == dead && Objects.equals(last.currentCommand(), command)
                && last.launchedAtMs() == launchedAt) {
            return last;
        }
        // A screen seen for the first time has no history: it counts as just changed.
        long changedAt = last != null && last.text().equals(text) ? last.changedAtMs() : now;
        PaneSnapshot snapshot = new PaneSnapshot(agent, last != null && last.text().equals(text) ? last.text() : text,
                changedAt, dead, command, launchedAt < 0 ? -1 : launchedAt);
        seen.put(agent, snapshot);
        return snapshot;
    }

    synchronized void forget(String agent) {
        seen.remove(agent);
    }
}
