package dev.rulemux.domain;

import java.util.Locale;

/** How urgent a task is; more urgent tasks are dispatched first. */
public enum Priority {
    HIGH, MEDIUM, LOW;

    /** True when this priority is more urgent than {@code other}. */
    public boolean above(Priority other) {
        return ordinal() < other.ordinal();
    }

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
