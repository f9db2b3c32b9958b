package dev.rulemux.domain;

/** A tier with at least one free agent: the queue of its ready tasks is consulted. */
public record FreeTier(Tier tier) {
}
