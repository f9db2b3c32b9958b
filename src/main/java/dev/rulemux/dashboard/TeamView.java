package dev.rulemux.dashboard;

import dev.rulemux.board.Journal;
import dev.rulemux.board.TaskRecord;
import dev.rulemux.domain.TaskState;
import dev.rulemux.store.AgentStore;
import dev.rulemux.store.StateStore;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A team as the state database shows it at one moment.
 *
 * @param at      when it was read (epoch ms)
 * @param live    whether a loop recorded the agents recently (within {@link #FRESH_MS}); false when none runs
 * @param agents  the agents of {@code agents.yaml} first, in their order, then any other the loop recorded
 * @param tasks   every task, in declaration order
 * @param counts  how many tasks are in each state (every state present, zeros included)
 * @param events  the newest events, oldest first
 * @param branches the tasks' git branches (agents in worktrees) and their merges, by task
 */
public record TeamView(long at, boolean live, List<AgentView> agents, List<TaskRecord> tasks, Map<TaskState, Integer> counts,
                       List<Journal.Event> events, Map<String, dev.rulemux.domain.TaskBranch> branches) {

    /** A view of a team whose agents work in shared directories (no branches). */
    public TeamView(long at, boolean live, List<AgentView> agents, List<TaskRecord> tasks, Map<TaskState, Integer> counts,
                    List<Journal.Event> events) {
        this(at, live, agents, tasks, counts, events, Map.of());
    }

    /** A running loop records every agent at least every 4 s; older rows mean that no loop is running. */
    public static final long FRESH_MS = 10_000;

    /**
     * One agent.
     *
     * @param name           the agent
     * @param status         its status name, {@code UNKNOWN} when no loop has seen it
     * @param reason         why it has that status ("" when unseen)
     * @param task           the task in flight on it, or null
     * @param contextUsed    % of its context used, or null when not shown
     * @param since          when it got its status (epoch ms, 0 when unseen)
     * @param updatedAt      when the loop last looked at it (epoch ms, 0 when unseen)
     * @param screen         the last lines of its screen
     * @param promptsSent    prompts delivered to it
     * @param enterPresses   Enter presses that submitted a prompt left in its input box
     * @param tasksCompleted tasks it completed
     * @param restarts       times it was restarted
     * @param host           the host it runs on (agents.yaml), or null for this machine
     */
    public record AgentView(String name, String status, String reason, String task, Integer contextUsed, long since,
                            long updatedAt, List<String> screen, int promptsSent, int enterPresses, int tasksCompleted,
                            int restarts, String host) {

        public AgentView(String name, String status, String reason, String task, Integer contextUsed, long since,
                         long updatedAt, List<String> screen, int promptsSent, int enterPresses, int tasksCompleted,
                         int restarts) {
            this(name, status, reason, task, contextUsed, since, updatedAt, screen, promptsSent, enterPresses,
                    tasksCompleted, restarts, null);
        }

        /** This view on {@code host} (null: this machine). */
        AgentView on(String host) {
            return new AgentView(name, status, reason, task, contextUsed, since, updatedAt, screen, promptsSent,
                    enterPresses, tasksCompleted, restarts, host);
        }

        public boolean seen() {
            return updatedAt > 0;
        }

        static AgentView unseen(String name) {
            return new AgentView(name, "UNKNOWN", "", null, null, 0, 0, List.of(), 0, 0, 0, 0);
        }

        static AgentView of(AgentStore.AgentRow row) {
            Journal.AgentState s = row.state();
            if (s.updatedAt() == 0) { // counters only: a row made by a restart before the loop recorded the agent
                AgentView u = unseen(s.name());
                return new AgentView(u.name, u.status, u.reason, null, null, 0, 0, List.of(), row.promptsSent(),
                        row.enterPresses(), row.tasksCompleted(), row.restarts());
            }
            return new AgentView(s.name(), s.status().name(), s.reason(), s.task(), s.contextUsed(), s.since(), s.updatedAt(),
                    List.copyOf(s.screen()), row.promptsSent(), row.enterPresses(), row.tasksCompleted(), row.restarts());
        }
    }

    public TeamView {
        agents = List.copyOf(agents);
        tasks = List.copyOf(tasks);
        counts = Collections.unmodifiableMap(new EnumMap<>(counts));
        events = List.copyOf(events);
        branches = Collections.unmodifiableMap(new LinkedHashMap<>(branches));
    }

    /**
     * Reads the team from {@code store}.
     *
     * @param declared the agents of {@code agents.yaml}, shown even before a loop has seen them
     * @param events   how many of the newest events to include
     * @param now      the time (epoch ms)
     */
    public static TeamView read(StateStore store, List<String> declared, int events, long now) {
        return read(store, declared, Map.of(), events, now);
    }

    /** As {@link #read(StateStore, List, int, long)}, with the host of each agent not on this machine. */
    public static TeamView read(StateStore store, List<String> declared, Map<String, String> hosts, int events, long now) {
        List<AgentStore.AgentRow> rows = store.agentRows();
        List<TaskRecord> tasks = store.records();
        List<Journal.Event> latest = events > 0 ? store.lastEvents(events) : List.of();
        Map<String, AgentView> agents = new LinkedHashMap<>();
        declared.forEach(n -> agents.put(n, AgentView.unseen(n)));
        rows.forEach(r -> agents.put(r.state().name(), AgentView.of(r)));
        hosts.forEach((agent, host) -> agents.computeIfPresent(agent, (n, v) -> v.on(host)));
        long lastLook = agents.values().stream().mapToLong(AgentView::updatedAt).max().orElse(0);
        Map<TaskState, Integer> counts = new EnumMap<>(TaskState.class);
        for (TaskState s : TaskState.values()) {
            counts.put(s, 0);
        }
        tasks.forEach(t -> counts.merge(t.state(), 1, Integer::sum));
        Map<String, dev.rulemux.domain.TaskBranch> branches = new LinkedHashMap<>();
        store.branches().branches().forEach(b -> branches.put(b.task(), b));
        return new TeamView(now, lastLook > 0 && now - lastLook <= FRESH_MS, new ArrayList<>(agents.values()), tasks, counts,
                latest, branches);
    }

    /** How many tasks are finished (completed, failed or cancelled). */
    public int finished() {
        return (int) tasks.stream().filter(t -> t.state().finished()).count();
    }
}
