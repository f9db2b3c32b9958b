package dev.rulemux.loop;

import dev.rulemux.domain.PaneSnapshot;
import java.util.HashMap;
import java.util.Map;

/** Remembers each agent's last screen and when it last changed, to say how long a capture has been still. */
final class ScreenHistory {

    private record Seen(String text, long changedAt) {
    }

    private final Map<String, Seen> seen = new HashMap<>();

    /** A snapshot of {@code text}, captured at {@code now}, with how long the screen has looked exactly like this. */
    synchronized PaneSnapshot snapshot(String agent, String text, boolean dead, String command, long launchedAt, long now) {
        Seen last = seen.get(agent);
        if (last == null || !last.text().equals(text)) {
            // A screen seen for the first time has no history: it counts as just changed.
            last = new Seen(text, now);
            seen.put(agent, last);
        }
        long launchedMsAgo = launchedAt < 0 ? -1 : Math.max(0, now - launchedAt);
        return new PaneSnapshot(agent, text, Math.max(0, now - last.changedAt()), dead, command, launchedMsAgo);
    }

    synchronized void forget(String agent) {
        seen.remove(agent);
    }
}
