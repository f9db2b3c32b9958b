package dev.rulemux.domain;

import java.util.Map;
import java.util.TreeMap;

/**
 * The policy's knobs (thresholds, counts, delays) as they apply to one agent: the shipped defaults,
 * overridden by the user's {@code rules/policy.yaml}, overridden by the agent's own {@code policy:} in
 * {@code agents.yaml}. Rules read them by name, for example {@code $p.millis("stuck_after")}.
 */
public record Policy(String agent, Map<String, String> values) implements AboutAgent {

    public Policy {
        values = Map.copyOf(values);
    }

    /** A duration knob in milliseconds ({@code 90s}, {@code 1500ms}, {@code 2m}). */
    public long millis(String knob) {
        return Durations.parse(require(knob)).toMillis();
    }

    /** A percentage knob, 0-100 (a trailing {@code %} is allowed). */
    public int percent(String knob) {
        String v = require(knob).trim();
        if (v.endsWith("%")) {
            v = v.substring(0, v.length() - 1).trim();
        }
        return Integer.parseInt(v);
    }

    /** A whole-number knob. */
    public int count(String knob) {
        return Integer.parseInt(require(knob).trim());
    }

    public String text(String knob) {
        return require(knob);
    }

    private String require(String knob) {
        String value = values.get(knob);
        if (value == null) {
            throw new IllegalArgumentException("policy knob \"" + knob + "\" is not set (known: "
                    + String.join(", ", new TreeMap<>(values).keySet()) + "); add it to rules/policy.yaml");
        }
        return value;
    }
}
