package dev.rulemux.loop;

import dev.rulemux.board.Journal;
import dev.rulemux.board.TaskBoard;
import dev.rulemux.board.TaskRecord;
import dev.rulemux.domain.AgentStatus;
import dev.rulemux.domain.PaneSnapshot;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Keeps each agent's row in the journal for other processes ({@code status}, the dashboards): its status, task,
 * context and the end of its screen, written when they change and at least every {@link #HEARTBEAT_MS}.
 */
final class AgentJournal {

    /** How many lines of each agent's screen the journal keeps (for the dashboards). */
    private static final int SCREEN_LINES = 12;

    /**
     * An agent's row is written at least this often, so that {@code status} and the dashboards can tell a
     * running loop (rows younger than 10 s) from one that stopped.
     */
    static final long HEARTBEAT_MS = 4_000;

    /** How often an agent's row is written again at most when only its status's reason or its screen's words changed. */
    static final long SCREEN_EVERY_MS = 2_000;

    private final TaskBoard board;
    private final EventLog log;
    private final AgentStatuses statuses;
    private final Map<String, Journal.AgentState> lastJournaled = new HashMap<>();

    AgentJournal(TaskBoard board, EventLog log, AgentStatuses statuses) {
        this.board = board;
        this.log = log;
        this.statuses = statuses;
    }

    /**
     * Records each agent, with the tasks as this tick left them: a task it just finished is off it, a task just
     * sent to it is on it.
     */
    void record(Decider.Outcome outcome, Map<String, PaneSnapshot> snapshots, long now) {
        // each agent's first task in flight, in one pass over the queue
        Map<String, String> inFlight = new HashMap<>();
        for (TaskRecord r : board.records()) {
            if (r.agent() != null && r.state().inFlight()) {
                inFlight.putIfAbsent(r.agent(), r.id());
            }
        }
        for (AgentStatus s : outcome.decision().statuses()) {
            record(s, outcome, snapshots.get(s.agent()), inFlight.get(s.agent()), now);
        }
    }

    private void record(AgentStatus s, Decider.Outcome outcome, PaneSnapshot snapshot, String task, long now) {
        Integer context = outcome.observations().get(s.agent()) == null ? null
                : outcome.observations().get(s.agent()).contextUsedPercent().orElse(null);
        List<String> lines = snapshot == null ? List.of() : lastLines(snapshot.text());
        Journal.AgentState state = new Journal.AgentState(s.agent(), s.status(), s.reason(), task, context,
                statuses.since(s.agent()), now, lines);
        Journal.AgentState prior = lastJournaled.get(s.agent());
        // The words of the reason and the screen move with every tick of a working agent (its spinner, its elapsed
        // time): they are written again once they changed and SCREEN_EVERY_MS has passed, not each tick
        // (a row written changes the state's mark, and every reader of the state reads it again).
        boolean changed = prior == null || prior.status() != state.status() || !Objects.equals(prior.task(), task)
                || !Objects.equals(prior.contextUsed(), context)
                || now - prior.updatedAt() > SCREEN_EVERY_MS && (!prior.reason().equals(state.reason()) || !prior.screen().equals(lines))
                || now - prior.updatedAt() > HEARTBEAT_MS;
        if (changed) {
            log.journal().agent(state);
            lastJournaled.put(s.agent(), state);
        }
    }

    private static List<String> lastLines(String text) {
        List<String> lines = new ArrayList<>();
        for (String l : text.split("\n")) {
            lines.add(l.stripTrailing());
        }
        while (!lines.isEmpty() && lines.get(lines.size() - 1).isEmpty()) {
            lines.remove(lines.size() - 1);
        }
        return List.copyOf(lines.subList(Math.max(0, lines.size() - SCREEN_LINES), lines.size()));
    }
}
