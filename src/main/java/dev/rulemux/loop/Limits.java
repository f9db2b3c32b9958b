package dev.rulemux.loop;

import dev.rulemux.domain.LimitSeen;
import dev.rulemux.domain.Marker;
import dev.rulemux.domain.MarkerKind;
import dev.rulemux.screen.Observation;
import dev.rulemux.screen.ResetTime;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Remembers, per agent, since when a limit has been on its screen: an episode starts the first time a limit
 * marker shows after rulemux last gave the agent a prompt, so that a limit still on screen after a new prompt
 * failed again counts anew, while one that a new turn pushed up does not matter (the policy sees it is stale).
 */
final class Limits {

    private final Map<String, Long> since = new HashMap<>();
    private final ZoneId zone;

    Limits(ZoneId zone) {
        this.zone = zone;
    }

    /** The agent was given a prompt: a limit shown from now on is a new episode. */
    synchronized void prompted(String agent) {
        since.remove(agent);
    }

    /** The limit fact for what {@code seen} shows, if it shows a limit. */
    synchronized Optional<LimitSeen> observe(String agent, Observation seen, long now) {
        Optional<Marker> limit = seen.markers().stream().filter(m -> m.kind() == MarkerKind.RATE_LIMIT)
                .min(Comparator.comparingInt(Marker::fromBottom));
        if (limit.isEmpty()) {
            since.remove(agent);
            return Optional.empty();
        }
        long first = since.computeIfAbsent(agent, a -> now);
        Optional<Long> resetsIn = seen.markers().stream().filter(m -> m.kind() == MarkerKind.RATE_LIMIT && m.value() != null)
                .min(Comparator.comparingInt(Marker::fromBottom))
                .flatMap(m -> ResetTime.parse(m.value(), Instant.ofEpochMilli(now), Instant.ofEpochMilli(first), zone))
                .map(Instant::toEpochMilli);
        return Optional.of(new LimitSeen(agent, limit.get().line().strip(), first, resetsIn.orElse(null)));
    }
}
