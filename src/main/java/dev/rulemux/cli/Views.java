package dev.rulemux.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rulemux.board.Journal;
import dev.rulemux.board.TaskRecord;
import dev.rulemux.text.JsonEscapes;
import dev.rulemux.text.TerminalText;
import java.io.PrintWriter;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;

/**
 * How the state commands show tasks, agents and events: times for people (local clock time, the date when it is
 * not today) and JSON for programs ({@link dev.rulemux.dashboard.JsonViews}: ISO-8601 instants, null for "not yet",
 * snake_case keys; the web dashboard shows tasks and events in the same JSON). What agents wrote is shown inert: as
 * visible escapes in text ({@link TerminalText}), escaped in JSON ({@link JsonEscapes}).
 */
final class Views {

    static final ObjectMapper JSON = JsonEscapes.applyTo(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT));
    private static final ObjectMapper JSON_LINE = JsonEscapes.applyTo(new ObjectMapper());
    private static final ZoneId ZONE = ZoneId.systemDefault();
    private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm:ss").withZone(ZONE);
    private static final DateTimeFormatter DATED = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZONE);

    private Views() {
    }

    /** An instant as ISO-8601, or null for 0 (not yet). */
    static String iso(long epochMs) {
        return dev.rulemux.dashboard.JsonViews.iso(epochMs);
    }

    /** A time for people: {@code 07:33:42} today, {@code 2026-11-20 07:33:42} another day, "" for 0. */
    static String clock(long epochMs, long now) {
        if (epochMs <= 0) {
            return "";
        }
        Instant at = Instant.ofEpochMilli(epochMs);
        boolean today = LocalDate.ofInstant(at, ZONE).equals(LocalDate.ofInstant(Instant.ofEpochMilli(now), ZONE));
        return today ? CLOCK.format(at) : DATED.format(at);
    }

    static String dated(long epochMs) {
        return epochMs <= 0 ? "" : DATED.format(Instant.ofEpochMilli(epochMs));
    }

    /** 45s, 12m 5s, 3h 20m, 2d 4h. */
    static String age(long ms) {
        long s = Math.max(0, ms) / 1000;
        if (s < 60) {
            return s + "s";
        }
        if (s < 3600) {
            return s / 60 + "m " + s % 60 + "s";
        }
        if (s < 86_400) {
            return s / 3600 + "h " + s % 3600 / 60 + "m";
        }
        return s / 86_400 + "d " + s % 86_400 / 3600 + "h";
    }

    static String lower(Enum<?> e) {
        return e.name().toLowerCase(Locale.ROOT);
    }

    /** The agent a task is on, else "(the one it was last on)", else "". */
    static String agentOf(TaskRecord r) {
        if (r.agent() != null) {
            return r.agent();
        }
        return r.lastAgent() == null ? "" : "(" + r.lastAgent() + ")";
    }

    /** A task's branch (an agent in a worktree) and where its merge stands: "rulemux/a/t1 -> team: MERGED (merged as …)". */
    static String branchLine(dev.rulemux.domain.TaskBranch b) {
        return b.branch() + " -> " + b.base() + ": " + b.merge().name()
                + (b.conflicts().isEmpty() ? "" : " in " + String.join(", ", b.conflicts()))
                + (b.note().isEmpty() ? "" : " (" + b.note() + ")");
    }

    /** A task's branch as JSON (branch, base, merge state, conflicting files, note); nothing for a task without one. */
    static void branch(ObjectNode o, dev.rulemux.domain.TaskBranch b) {
        if (b == null) {
            return;
        }
        ObjectNode n = o.putObject("branch");
        n.put("name", b.branch());
        n.put("agent", b.agent());
        n.put("base", b.base());
        n.put("merge", b.merge().name());
        strings(n.putArray("conflicts"), b.conflicts());
        n.put("note", b.note());
    }

    /** A task in a list: what {@code task list --json} shows of each. */
    static ObjectNode task(TaskRecord r) {
        return dev.rulemux.dashboard.JsonViews.task(r);
    }

    /** Every field of a task's record, with its prompt text (when readable) and its events. */
    static ObjectNode taskInFull(TaskRecord r, String promptText, List<Journal.Event> events) {
        ObjectNode o = task(r);
        o.put("order", r.order());
        o.put("prefer_agent", r.preferAgent());
        o.put("pending_since", iso(r.pendingSince()));
        o.put("declared_line", r.spec().line());
        o.put("prompt", promptText);
        o.put("prompt_file", r.spec().promptFile() == null ? null : r.spec().promptFile().toString());
        o.put("verify", r.spec().verify());
        strings(o.putArray("files"), r.spec().files());
        o.put("last_output", r.lastOutput());
        TaskRecord.DeliveryRecord d = r.delivery();
        if (d == null) {
            o.putNull("delivery");
        } else {
            ObjectNode dn = o.putObject("delivery");
            dn.put("agent", d.agent());
            dn.put("delivered_at", iso(d.deliveredAt()));
            dn.put("enter_presses", d.enterPresses());
            dn.put("last_keys_at", iso(d.lastKeysAt()));
            dn.put("seen_working", d.seenWorking());
            dn.put("finished_line_before", d.finishedLine());
        }
        ArrayNode ev = o.putArray("events");
        events.forEach(e -> ev.add(event(e)));
        return o;
    }

    static ObjectNode event(Journal.Event e) {
        return dev.rulemux.dashboard.JsonViews.event(e);
    }

    /** {@code 42  2026-11-21 07:33:42  REPORT  builder  t1  builder reports t1 done: …} */
    static String eventLine(Journal.Event e) {
        return TerminalText.line(String.format("%d  %s  %s  %s  %s  %s", e.seq(), dated(e.at()), e.kind().name(),
                e.agent() == null ? "-" : e.agent(), e.task() == null ? "-" : e.task(), e.detail().replaceAll("\\s*\\R\\s*", " ")));
    }

    static void strings(ArrayNode array, List<String> values) {
        values.forEach(array::add);
    }

    /** A JSON document, indented. */
    static void print(PrintWriter out, JsonNode node) {
        out.println(text(node));
        out.flush();
    }

    static String text(JsonNode node) {
        try {
            return JSON.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A JSON document on one line (a JSON-lines stream). */
    static String line(JsonNode node) {
        try {
            return JSON_LINE.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Prints, loudly, each agent allowed to work where rulemux's configuration lives (trust_workdir_config). */
    static void warnTrustedWorkdirs(PrintWriter err, dev.rulemux.config.Config cfg) {
        cfg.warnings().stream().filter(w -> w.message().startsWith(dev.rulemux.config.ConfigLoader.TRUSTED_WORKDIR))
                .forEach(w -> err.println("WARNING: " + w));
        err.flush();
    }
}
