package dev.rulemux.rules;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** Test helper: two decisions are the same when they hold the same statuses, evidence, actions and transitions. */
final class SameDecision {

    private SameDecision() {
    }

    /** Throws, listing the differences, unless {@code other} decides what {@code expected} decides. */
    static void require(Decision expected, Decision other, String what) {
        List<String> differences = new ArrayList<>();
        compare("statuses", expected.statuses(), other.statuses(), differences);
        compare("evidence", expected.evidence(), other.evidence(), differences);
        compare("actions", expected.actions(), other.actions(), differences);
        compare("transitions", expected.transitions(), other.transitions(), differences);
        if (!differences.isEmpty()) {
            throw new AssertionError(what + " decided otherwise than a fresh session:\n  " + String.join("\n  ", differences));
        }
    }

    private static void compare(String kind, List<?> expected, List<?> actual, List<String> differences) {
        List<String> want = sorted(expected);
        List<String> got = sorted(actual);
        List<String> missing = new ArrayList<>(want);
        got.forEach(missing::remove);
        List<String> extra = new ArrayList<>(got);
        want.forEach(extra::remove);
        missing.forEach(m -> differences.add(kind + " missing: " + m));
        extra.forEach(e -> differences.add(kind + " extra: " + e));
    }

    private static List<String> sorted(List<?> facts) {
        return facts.stream().map(String::valueOf).sorted(Comparator.naturalOrder()).toList();
    }
}
