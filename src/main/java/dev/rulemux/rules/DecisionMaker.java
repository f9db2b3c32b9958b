package dev.rulemux.rules;

import java.util.Collection;

/**
 * Something that decides a tick from its facts: the compiled policy in a fresh session ({@link PolicyEngine},
 * for one-shot commands) or a long-lived session of it that only updates what changed ({@link PolicySession},
 * for a run). Both decide the same on the same facts.
 */
public interface DecisionMaker {

    /** Runs the policy over {@code facts}. With {@code trace}, records every rule that fired and what it matched. */
    Decision decide(Collection<?> facts, boolean trace);
}
