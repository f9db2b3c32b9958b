package dev.rulemux.domain;

/**
 * A pending task held back because a task in flight in a shared directory claims files it claims too.
 *
 * @param task   the task that waits
 * @param holder the task holding the claim
 * @param reason why, naming the files
 */
public record ClaimWait(String task, String holder, String reason) {
}
