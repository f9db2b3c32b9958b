package dev.rulemux.domain;

/**
 * An agent was asked to write a handoff note for its task ({@code prepare_handoff}); whether the note is there.
 *
 * @param agent   the agent handing over
 * @param task    the task
 * @param path    where the note is to be written
 * @param written the file exists and is not empty
 */
public record HandoffNote(String agent, String task, String path, boolean written) implements AboutAgent {
}
