package dev.rulemux.domain;

import java.util.Locale;

/** How hard a task is, and which tasks an agent takes: an agent of tier HIGH takes tasks of complexity HIGH. */
public enum Tier {
    HIGH, MEDIUM, LOW;

    /** True when this tier is above {@code other} (HIGH above MEDIUM above LOW). */
    public boolean above(Tier other) {
        return ordinal() < other.ordinal();
    }

    /** Lower-case name, as written in YAML and printed. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
