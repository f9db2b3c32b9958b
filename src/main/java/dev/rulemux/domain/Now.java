package dev.rulemux.domain;

/** The time of the tick, in milliseconds since the epoch. */
public record Now(long epochMs) {
}
