package dev.rulemux.domain;

/**
 * One reason to believe an agent has a status. Classification rules insert evidence; the strongest
 * (highest {@code rank}) becomes the agent's {@link AgentStatus}.
 *
 * @param source where the evidence comes from: the agent's screen, or its CLI's own hook events
 */
public record StatusEvidence(String agent, Status status, int rank, String reason, Source source) implements AboutAgent {

    /** Where a piece of evidence comes from. */
    public enum Source {
        /** The captured screen (its profile's markers, how long it has not changed) and time. */
        SCREEN,
        /** An event the agent's CLI reported through its own hooks ({@link HookEvent}). */
        HOOK
    }

    /** Evidence read from the screen. */
    public StatusEvidence(String agent, Status status, int rank, String reason) {
        this(agent, status, rank, reason, Source.SCREEN);
    }
}
