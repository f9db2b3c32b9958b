package dev.rulemux.domain;

/** A pending task cannot start yet because {@code dependency} is not completed. */
public record Waiting(String task, String dependency) {
}
