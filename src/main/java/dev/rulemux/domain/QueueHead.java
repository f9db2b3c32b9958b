package dev.rulemux.domain;

/**
 * The most urgent ready task of a tier that an agent working {@code mode} may take: the head of that queue,
 * the next one its free agents take. Kept up to date as tasks become ready and are given out, not looked for anew
 * each tick.
 */
public record QueueHead(Tier tier, IsolationMode mode, Task task) {
}
