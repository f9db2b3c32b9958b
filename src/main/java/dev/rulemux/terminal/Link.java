package dev.rulemux.terminal;

/**
 * The connection to one host of the team, as its terminal last knew it.
 *
 * @param host        the host as agents.yaml names it
 * @param up          connected and answering
 * @param since       when it went up or down (the clock's epoch millis); 0 when it was never tried
 * @param latencyMs   how long the last answer took to come back, in ms; -1 when none came
 * @param version     the host's tmux version ({@code tmux 3.3a}), empty until it first answered
 * @param problem     why it is down (what ssh said), empty when up
 * @param connections how many connections were opened to it so far (one while it stays up)
 */
public record Link(String host, boolean up, long since, long latencyMs, String version, String problem, long connections) {
}
