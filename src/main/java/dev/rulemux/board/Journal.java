package dev.rulemux.board;

import dev.rulemux.domain.Status;
import java.util.List;

/**
 * The append-only record of a run: every decision and action with its reason, every status change, every
 * report, and the latest state of each agent (for {@code rulemux status} and the dashboards, from any process).
 */
public interface Journal {

    /** What an event is about. */
    enum Kind { STATUS, DISPATCH, ACTION, TRANSITION, ALERT, REPORT, INFO, WARNING }

    /**
     * One journal entry.
     *
     * @param seq    its place in the journal
     * @param at     epoch ms
     * @param kind   what it is about
     * @param agent  the agent concerned, or null
     * @param task   the task concerned, or null
     * @param detail what happened and why
     */
    record Event(long seq, long at, Kind kind, String agent, String task, String detail) {
    }

    /**
     * An agent as the loop last saw it.
     *
     * @param name        the agent
     * @param status      its status
     * @param reason      why
     * @param task        the task in flight on it, or null
     * @param contextUsed % of its context used, or null when not shown
     * @param since       when it got this status (epoch ms)
     * @param updatedAt   when the loop last looked (epoch ms)
     * @param screen      the last lines of its screen
     */
    record AgentState(String name, Status status, String reason, String task, Integer contextUsed, long since, long updatedAt,
                      List<String> screen) {
    }

    void event(Kind kind, String agent, String task, String detail);

    /** Events after {@code afterSeq}, oldest first, at most {@code limit}. */
    List<Event> events(long afterSeq, int limit);

    void agent(AgentState state);

    List<AgentState> agents();

    /**
     * Deletes the events from before {@code beforeMs} (epoch ms): the journal's retention. Tasks, reports and agents'
     * states are kept. Returns how many were deleted.
     */
    default int pruneEvents(long beforeMs) {
        return 0;
    }

    /** A journal that keeps nothing (tests, the in-memory board). */
    Journal NONE = new Journal() {
        @Override
        public void event(Kind kind, String agent, String task, String detail) {
        }

        @Override
        public List<Event> events(long afterSeq, int limit) {
            return List.of();
        }

        @Override
        public void agent(AgentState state) {
        }

        @Override
        public List<AgentState> agents() {
            return List.of();
        }
    };
}
