package dev.rulemux.domain;

/** What an agent reports of its task with {@code rulemux report}. */
public enum ReportOutcome {
    /** The work is done. */
    DONE,
    /** The agent cannot go on without a person. */
    BLOCKED
}
