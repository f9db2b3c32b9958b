package dev.rulemux.rules;

import java.util.List;

/** A rule that fired while deciding, with the facts it matched (for {@code --explain}). */
public record FiredRule(String rule, String file, List<Object> facts) {

    public FiredRule {
        facts = List.copyOf(facts);
    }
}
