package dev.rulemux.rules;

import dev.rulemux.domain.Action;
import dev.rulemux.domain.ActionType;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Test helper: what the policy specs exercised, recorded by {@link PolicySpec} while a {@link #record} is under way on
 * the current thread (and not otherwise, so that specs run by themselves, in any order, record nothing): every rule
 * that fired, every action type each rule inserted, and every (rule, action type) a spec read from a verdict to
 * assert on it.
 */
final class RuleCoverage {

    private static final ThreadLocal<RuleCoverage> CURRENT = new ThreadLocal<>();

    private final Set<String> fired = new TreeSet<>();
    private final Map<String, Set<ActionType>> inserted = new TreeMap<>();
    private final Map<String, Set<ActionType>> asserted = new TreeMap<>();

    private RuleCoverage() {
    }

    /** Runs {@code specs} with a fresh recording on this thread and returns what they exercised. */
    static RuleCoverage record(Runnable specs) {
        RuleCoverage coverage = new RuleCoverage();
        RuleCoverage outer = CURRENT.get();
        CURRENT.set(coverage);
        try {
            specs.run();
        } finally {
            if (outer == null) {
                CURRENT.remove();
            } else {
                CURRENT.set(outer);
            }
        }
        return coverage;
    }

    /** A spec's tick was decided (traced): its firings are recorded. */
    static void decided(Decision decision) {
        RuleCoverage c = CURRENT.get();
        if (c == null) {
            return;
        }
        for (FiredRule f : decision.fired()) {
            c.fired.add(f.rule());
            for (Object o : f.inserted()) {
                if (o instanceof Action a) {
                    c.inserted.computeIfAbsent(f.rule(), k -> new TreeSet<>()).add(a.type());
                }
            }
        }
    }

    /** A spec read {@code actions} from the verdict of {@code decision} to assert on them. */
    static void asserted(Decision decision, List<Action> actions) {
        RuleCoverage c = CURRENT.get();
        if (c == null || actions.isEmpty()) {
            return;
        }
        Map<Action, String> ruleOf = new IdentityHashMap<>();
        for (FiredRule f : decision.fired()) {
            for (Object o : f.inserted()) {
                if (o instanceof Action a) {
                    ruleOf.put(a, f.rule());
                }
            }
        }
        for (Action a : actions) {
            String rule = ruleOf.get(a);
            if (rule != null) {
                c.asserted.computeIfAbsent(rule, k -> new TreeSet<>()).add(a.type());
            }
        }
    }

    Set<String> fired() {
        return Collections.unmodifiableSet(fired);
    }

    /** For each rule that inserted actions, the types it inserted. */
    Map<String, Set<ActionType>> inserted() {
        return Collections.unmodifiableMap(inserted);
    }

    /** Each (rule, action type) that some spec inserted but none read to assert on, as "rule: TYPE". */
    List<String> insertedButNotAsserted() {
        List<String> out = new ArrayList<>();
        inserted.forEach((rule, types) -> types.forEach(t -> {
            if (!asserted.getOrDefault(rule, Set.of()).contains(t)) {
                out.add(rule + ": " + t);
            }
        }));
        return out;
    }
}
