package dev.rulemux.domain;

/**
 * The most urgent ready task of a tier: the head of that tier's queue, the next one its free agents take.
 * Kept up to date as tasks become ready and are given out, not looked for anew each tick.
 */
public record QueueHead(Tier tier, Task task) {
}
