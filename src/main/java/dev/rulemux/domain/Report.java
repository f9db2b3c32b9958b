package dev.rulemux.domain;

/**
 * An agent's own report on a task ({@code rulemux report done|blocked TASK}), not yet acted on. A report wins
 * over what the screen suggests.
 *
 * @param seq     its place in the report queue
 * @param task    the task
 * @param outcome done or blocked
 * @param note    the agent's words, or ""
 * @param agent   the agent that reported (from its RULEMUX_AGENT), or null when unknown
 */
public record Report(long seq, String task, ReportOutcome outcome, String note, String agent) {
}
