package dev.rulemux.rules;

import java.util.List;

/**
 * A rule that fired while deciding, with the facts it matched and the facts its consequence inserted (for
 * {@code --explain}, and for the specs to tell which rule decided an action).
 */
public record FiredRule(String rule, String file, List<Object> facts, List<Object> inserted) {

    public FiredRule {
        facts = List.copyOf(facts);
        inserted = List.copyOf(inserted);
    }

    /** A firing whose insertions were not recorded. */
    public FiredRule(String rule, String file, List<Object> facts) {
        this(rule, file, facts, List.of());
    }
}
