package dev.rulemux.loop;

import dev.rulemux.board.TaskRecord;
import dev.rulemux.domain.HookEvent;
import dev.rulemux.store.HookSpool;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The agents' hook events, read from the team's {@link HookSpool} at every tick (the first tick reads what is there,
 * so that a CLI still running from before is known by its latest event): each agent's latest event since rulemux
 * launched its CLI becomes a {@link HookEvent} fact, and an event after a prompt was delivered tells
 * {@link Deliveries} that the agent took it (a turn shorter than a tick shows nothing on the screen).
 */
final class HookFeed {

    private final HookSpool spool;
    private final EventLog log;
    private final Map<String, HookEvent> latest = new HashMap<>();
    private boolean failing;

    HookFeed(Path configDir, EventLog log) {
        this.spool = HookSpool.of(configDir);
        this.log = log;
    }

    /** Whether an event was appended since the last tick read the spool (a stat). */
    boolean unread() {
        return spool.unread();
    }

    /**
     * Reads the events appended since the last tick and returns each agent's latest, as facts.
     *
     * @param launchedAt when rulemux launched each agent's CLI (an event from before, of the CLI it replaced, is dropped)
     * @param records    the tasks, whose deliveries an event may show taken
     */
    synchronized List<HookEvent> facts(Map<String, Long> launchedAt, List<TaskRecord> records, Deliveries deliveries) {
        try {
            for (HookEvent e : spool.read(true)) {
                HookEvent before = latest.get(e.agent());
                if (before == null || e.atMs() >= before.atMs()) {
                    latest.put(e.agent(), e);
                }
                deliveries.hooked(e, records);
            }
            failing = false;
        } catch (IOException | RuntimeException e) {
            if (!failing) {
                log.warn("cannot read the agents' hook events (" + spool.file() + "): " + e.getMessage()
                        + "; their screens alone classify them");
                failing = true;
            }
        }
        List<HookEvent> out = new ArrayList<>();
        latest.values().removeIf(e -> e.atMs() < launchedAt.getOrDefault(e.agent(), Long.MIN_VALUE));
        out.addAll(latest.values());
        return out;
    }
}
