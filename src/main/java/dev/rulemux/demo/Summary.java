package dev.rulemux.demo;

import dev.rulemux.board.Journal;
import dev.rulemux.board.TaskRecord;
import dev.rulemux.domain.TaskState;
import dev.rulemux.store.AgentStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a demo run did, task by task, read back from its journal.
 *
 * @param took   how long the run took
 * @param tasks  each task, in declaration order
 * @param agents each agent's counters
 */
public record Summary(Duration took, List<TaskLine> tasks, List<AgentLine> agents) {

    /**
     * One task.
     *
     * @param id       the task
     * @param title    its title
     * @param agent    the agent that last had it, or null
     * @param state    its state at the end
     * @param attempts its attempts
     * @param time     from its first delivery to its end (zero when it never started or never ended)
     * @param happened what rulemux did for it beyond sending it, in order ("approval answered", "handed over to
     *                 builder", …), each once
     */
    public record TaskLine(String id, String title, String agent, TaskState state, int attempts, Duration time,
                           List<String> happened) {
    }

    /**
     * One agent.
     *
     * @param name      the agent
     * @param prompts   prompts delivered to it
     * @param enters    Enter presses that submitted a prompt left in its input box
     * @param completed tasks it completed
     * @param restarts  times it was restarted
     */
    public record AgentLine(String name, int prompts, int enters, int completed, int restarts) {
    }

    public Summary {
        tasks = List.copyOf(tasks);
        agents = List.copyOf(agents);
    }

    /** Every task completed. */
    public boolean green() {
        return !tasks.isEmpty() && tasks.stream().allMatch(t -> t.state() == TaskState.COMPLETED);
    }

    public long completed() {
        return tasks.stream().filter(t -> t.state() == TaskState.COMPLETED).count();
    }

    private static final Pattern SENT = Pattern.compile("^sent (\\S+) to (\\S+) ");
    private static final Pattern HANDED = Pattern.compile("^handed \\S+ over to (\\S+)");
    private static final Pattern NOTE = Pattern.compile("^asked (\\S+) to write its handoff note");

    /**
     * Reads the summary from a run's records and journal.
     *
     * @param events the run's events, oldest first
     */
    public static Summary of(Duration took, List<TaskRecord> records, List<Journal.Event> events, List<AgentStore.AgentRow> agents) {
        Map<String, Set<String>> happened = new LinkedHashMap<>();
        Map<String, String> inFlight = new HashMap<>(); // agent -> the task last sent to it, for its task-less actions
        long firstStart = Long.MAX_VALUE;
        Map<String, Long> firstSent = new HashMap<>();
        for (Journal.Event e : events) {
            Matcher sent = SENT.matcher(e.detail());
            if (e.kind() == Journal.Kind.DISPATCH && sent.find()) {
                inFlight.put(sent.group(2), sent.group(1));
                firstSent.putIfAbsent(sent.group(1), e.at());
                firstStart = Math.min(firstStart, e.at());
            }
            String task = e.task() != null ? e.task() : e.agent() == null ? null : inFlight.get(e.agent());
            if (task == null) {
                continue;
            }
            String what = describe(e);
            if (what != null) {
                happened.computeIfAbsent(task, k -> new LinkedHashSet<>()).add(what);
            }
        }
        List<TaskLine> lines = new ArrayList<>();
        for (TaskRecord r : records) {
            long start = firstSent.getOrDefault(r.id(), r.startedAt());
            Duration time = start > 0 && r.finishedAt() >= start && r.state().finished() ? Duration.ofMillis(r.finishedAt() - start)
                    : Duration.ZERO;
            List<String> what = new ArrayList<>(happened.getOrDefault(r.id(), Set.of()));
            if (what.remove("sent again")) { // decided in the tick of the interrupt, and logged before it
                what.add("sent again");
            }
            lines.add(new TaskLine(r.id(), r.spec().title(), r.lastAgent(), r.state(), r.attempts(), time, what));
        }
        List<AgentLine> agentLines = agents.stream().map(a -> new AgentLine(a.state().name(), a.promptsSent(), a.enterPresses(),
                a.tasksCompleted(), a.restarts())).toList();
        return new Summary(took, lines, agentLines);
    }

    /** What an event did for its task, in a few words; null for the ordinary ones (sent, started, completed). */
    static String describe(Journal.Event e) {
        String d = e.detail();
        if (e.kind() == Journal.Kind.ALERT) {
            return "alert: " + (d.length() > 60 ? d.substring(0, 59) + "…" : d);
        }
        if (e.kind() == Journal.Kind.TRANSITION) {
            if (d.contains(" was stuck: ")) {
                return "sent again";
            }
            if (d.contains("-> FAILED")) {
                return "failed";
            }
            if (d.contains("VERIFYING -> PENDING")) {
                return "check failed, retried";
            }
            return null;
        }
        if (e.kind() != Journal.Kind.ACTION) {
            return null;
        }
        Matcher handed = HANDED.matcher(d);
        if (handed.find()) {
            return "handed over to " + handed.group(1);
        }
        Matcher note = NOTE.matcher(d);
        if (note.find()) {
            return note.group(1) + "'s context filled: handoff note";
        }
        if (d.startsWith("answered a dialog")) {
            return d.contains("approval") ? "approval answered" : "dialog answered";
        }
        if (d.startsWith("pressed Enter again")) {
            return "Enter pressed again";
        }
        if (d.startsWith("nudged")) {
            return "hung: nudged";
        }
        if (d.startsWith("interrupted")) {
            return "interrupted";
        }
        if (d.startsWith("restarted")) {
            return "agent restarted";
        }
        return null;
    }
}
