package dev.rulemux.loop;

import dev.rulemux.domain.AgentStatus;
import dev.rulemux.domain.Status;
import dev.rulemux.domain.StatusSince;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Each agent's status as the policy last classified it, and since when; a change is logged once. */
final class AgentStatuses {

    private record Since(Status status, long at, StatusSince fact) {
        Since(String agent, Status status, long at) {
            this(status, at, new StatusSince(agent, status, at));
        }
    }

    private final Map<String, Since> last = new HashMap<>();
    private final EventLog log;

    AgentStatuses(EventLog log) {
        this.log = log;
    }

    /** Takes the statuses the policy decided at {@code now}, logging each agent's change. */
    synchronized void decided(List<AgentStatus> statuses, long now) {
        for (AgentStatus s : statuses) {
            Since before = last.get(s.agent());
            if (before == null || before.status() != s.status()) {
                last.put(s.agent(), new Since(s.agent(), s.status(), now));
                log.status(s.agent(), before == null ? "(new)" : before.status().name(), s.status().name(), s.reason());
            }
        }
    }

    /** {@code agent}'s status, or null before the policy classified it. */
    synchronized Status of(String agent) {
        Since s = last.get(agent);
        return s == null ? null : s.status();
    }

    /** When {@code agent}'s status last changed. */
    synchronized long since(String agent) {
        return last.get(agent).at();
    }

    synchronized Map<String, Status> all() {
        Map<String, Status> out = new LinkedHashMap<>();
        last.forEach((agent, since) -> out.put(agent, since.status()));
        return out;
    }

    /** Since when each agent has had its status, as facts (the same facts while no status changes). */
    synchronized List<StatusSince> facts() {
        List<StatusSince> out = new ArrayList<>();
        last.values().forEach(since -> out.add(since.fact()));
        return out;
    }
}
