package dev.rulemux.dashboard;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rulemux.board.Journal;
import dev.rulemux.board.TaskRecord;
import java.time.Instant;

/**
 * Tasks and events as JSON for programs, one shape everywhere: the state commands' {@code --json}
 * ({@code task list}, {@code status}, {@code events}) and the web dashboard. ISO-8601 instants, null for
 * "not yet", snake_case keys.
 */
public final class JsonViews {

    private static final ObjectMapper JSON = new ObjectMapper();

    private JsonViews() {
    }

    /** An instant as ISO-8601, or null for 0 (not yet). */
    public static String iso(long epochMs) {
        return epochMs <= 0 ? null : Instant.ofEpochMilli(epochMs).toString();
    }

    /** A task in a list: what {@code task list --json} shows of each. */
    public static ObjectNode task(TaskRecord r) {
        ObjectNode o = JSON.createObjectNode();
        o.put("id", r.id());
        o.put("title", r.spec().title());
        o.put("state", r.state().name());
        o.put("complexity", r.spec().complexity().label());
        o.put("priority", r.spec().priority().label());
        o.put("agent", r.agent());
        o.put("last_agent", r.lastAgent());
        o.put("attempts", r.attempts());
        o.put("max_attempts", r.spec().maxAttempts());
        r.spec().dependsOn().forEach(o.putArray("depends_on")::add);
        o.put("source", r.source());
        o.put("note", r.note());
        o.put("created_at", iso(r.createdAt()));
        o.put("updated_at", iso(r.updatedAt()));
        o.put("started_at", iso(r.startedAt()));
        o.put("finished_at", iso(r.finishedAt()));
        return o;
    }

    /** A journal entry. */
    public static ObjectNode event(Journal.Event e) {
        ObjectNode o = JSON.createObjectNode();
        o.put("seq", e.seq());
        o.put("at", iso(e.at()));
        o.put("kind", e.kind().name());
        o.put("agent", e.agent());
        o.put("task", e.task());
        o.put("detail", e.detail());
        return o;
    }
}
