package dev.rulemux.domain;

/**
 * A ready task that asks for an isolation ({@code isolation: worktree | none}) and that no free agent of its tier
 * working so can take now: it waits, and the reason says for what.
 *
 * @param task      the task that waits
 * @param mode      the isolation it asks for
 * @param reason    why, for people ({@code decide --explain})
 */
public record IsolationWait(String task, IsolationMode mode, String reason) {
}
