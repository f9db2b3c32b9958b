package dev.rulemux.config;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The policy knobs a DRL file reads, found in its text without compiling it. Rules read a knob through a
 * {@code Policy} fact, by name: {@code $p.millis("stuck_after")} where {@code $p : Policy(...)} is bound in the
 * same rule, or {@code millis("tier_up_after")} inside a {@code Policy( ... )} pattern. The readers are
 * {@code millis}, {@code percent}, {@code count} and {@code text}, each given the knob's name as a string literal.
 * Comments are skipped; a knob named by anything but a literal cannot be checked and is not reported.
 */
public final class KnobReferences {

    /** One knob read: its name, the reader used, the 1-based line and the rule that reads it (null outside a rule). */
    public record Reference(String knob, String reader, int line, String rule) {
    }

    private static final String READERS = "millis|percent|count|text";
    private static final Pattern RULE = Pattern.compile("^[ \\t]*rule\\s+(?:\"([^\"]+)\"|'([^']+)'|(\\S+))", Pattern.MULTILINE);
    private static final Pattern POLICY_BINDING = Pattern.compile("\\$(\\w+)\\s*:\\s*Policy\\s*\\(");
    private static final Pattern POLICY_PATTERN = Pattern.compile("\\bPolicy\\s*\\(");
    private static final Pattern BOUND_READ = Pattern.compile("\\$(\\w+)\\s*\\.\\s*(" + READERS + ")\\s*\\(\\s*\"([^\"]*)\"\\s*\\)");
    private static final Pattern BARE_READ = Pattern.compile("(?<![\\w.$])(" + READERS + ")\\s*\\(\\s*\"([^\"]*)\"\\s*\\)");

    private KnobReferences() {
    }

    /** Every knob {@code drl} reads, in the order they appear. */
    public static List<Reference> in(String drl) {
        String code = withoutComments(drl);
        List<int[]> rules = new ArrayList<>();
        List<String> names = new ArrayList<>();
        Matcher r = RULE.matcher(code);
        while (r.find()) {
            rules.add(new int[] {r.start(), code.length()});
            names.add(r.group(1) != null ? r.group(1) : r.group(2) != null ? r.group(2) : r.group(3));
            if (rules.size() > 1) {
                rules.get(rules.size() - 2)[1] = r.start();
            }
        }
        if (rules.isEmpty()) {
            rules.add(new int[] {0, code.length()});
            names.add(null);
        }
        List<Reference> out = new ArrayList<>();
        int[] breaks = breaks(code);
        for (int i = 0; i < rules.size(); i++) {
            scan(code, breaks, rules.get(i)[0], rules.get(i)[1], names.get(i), out);
        }
        return out;
    }

    /**
     * What is wrong with the knobs {@code drl} (the text of {@code file}) reads: one problem, at its line and named
     * after the knob, for each knob that {@code defined} lacks.
     */
    public static List<Problem> undefined(Path file, String drl, Set<String> defined) {
        List<Problem> out = new ArrayList<>();
        for (Reference ref : in(drl)) {
            if (defined.contains(ref.knob())) {
                continue;
            }
            String near = closest(ref.knob(), defined);
            out.add(new Problem(file, ref.line(), ref.knob(), "is not a policy knob: "
                    + (ref.rule() == null ? "the file" : "rule \"" + ref.rule() + "\"") + " reads it ("
                    + ref.reader() + "(\"" + ref.knob() + "\")) but no rules/policy.yaml defines it"
                    + (near == null ? "" : " (did you mean \"" + near + "\"?)")
                    + "; knobs: " + String.join(", ", new TreeSet<>(defined))));
        }
        return out;
    }

    /** The known name nearest to {@code name} (at most about a third of its letters different), or null. */
    private static String closest(String name, Set<String> known) {
        String best = null;
        int bestDistance = Math.max(1, name.length() / 3) + 1;
        for (String k : new TreeSet<>(known)) {
            int d = editDistance(name, k);
            if (d < bestDistance) {
                best = k;
                bestDistance = d;
            }
        }
        return best;
    }

    private static int editDistance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitute = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitute, Math.min(previous[j], current[j - 1]) + 1);
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }

    private static void scan(String code, int[] breaks, int from, int to, String rule, List<Reference> out) {
        String block = code.substring(from, to);
        Set<String> policyVars = new HashSet<>();
        Matcher b = POLICY_BINDING.matcher(block);
        while (b.find()) {
            policyVars.add(b.group(1));
        }
        List<int[]> found = new ArrayList<>();
        Matcher bound = BOUND_READ.matcher(block);
        while (bound.find()) {
            if (policyVars.contains(bound.group(1))) {
                found.add(new int[] {bound.start(2), bound.end(2), bound.start(3), bound.end(3)});
            }
        }
        Matcher p = POLICY_PATTERN.matcher(block);
        while (p.find()) {
            int end = closingParen(block, p.end() - 1);
            Matcher bare = BARE_READ.matcher(block).region(p.end(), end);
            while (bare.find()) {
                found.add(new int[] {bare.start(1), bare.end(1), bare.start(2), bare.end(2)});
            }
        }
        found.sort((x, y) -> Integer.compare(x[0], y[0]));
        for (int[] f : found) {
            out.add(new Reference(block.substring(f[2], f[3]), block.substring(f[0], f[1]), lineAt(breaks, from + f[0]), rule));
        }
    }

    /** The index of the parenthesis closing the one at {@code open} (strings skipped), or the text's end. */
    private static int closingParen(String s, int open) {
        int depth = 0;
        for (int i = open; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"' || c == '\'') {
                i = endOfString(s, i);
            } else if (c == '(') {
                depth++;
            } else if (c == ')' && --depth == 0) {
                return i;
            }
        }
        return s.length();
    }

    private static int endOfString(String s, int quote) {
        char q = s.charAt(quote);
        for (int i = quote + 1; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\') {
                i++;
            } else if (c == q || c == '\n') {
                return i;
            }
        }
        return s.length() - 1;
    }

    /** Where the line breaks of {@code s} are, in order. */
    private static int[] breaks(String s) {
        return java.util.stream.IntStream.range(0, s.length()).filter(i -> s.charAt(i) == '\n').toArray();
    }

    /** The 1-based line of {@code index}: one more than the line breaks before it (a search, not a count from the start). */
    private static int lineAt(int[] breaks, int index) {
        int at = java.util.Arrays.binarySearch(breaks, index);
        return (at >= 0 ? at : -at - 1) + 1;
    }

    /** The text with {@code //}, {@code #} and block comments blanked (line breaks kept, so lines still count). */
    static String withoutComments(String drl) {
        StringBuilder out = new StringBuilder(drl);
        int i = 0;
        while (i < drl.length()) {
            char c = drl.charAt(i);
            if (c == '"' || c == '\'') {
                i = endOfString(drl, i) + 1;
            } else if (c == '/' && i + 1 < drl.length() && drl.charAt(i + 1) == '*') {
                int end = drl.indexOf("*/", i + 2);
                end = end < 0 ? drl.length() : end + 2;
                blank(out, i, end);
                i = end;
            } else if (c == '#' || c == '/' && i + 1 < drl.length() && drl.charAt(i + 1) == '/') {
                int end = drl.indexOf('\n', i);
                end = end < 0 ? drl.length() : end;
                blank(out, i, end);
                i = end;
            } else {
                i++;
            }
        }
        return out.toString();
    }

    private static void blank(StringBuilder out, int from, int to) {
        for (int i = from; i < to; i++) {
            if (out.charAt(i) != '\n') {
                out.setCharAt(i, ' ');
            }
        }
    }
}
