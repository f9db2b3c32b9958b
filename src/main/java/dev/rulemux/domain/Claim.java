package dev.rulemux.domain;

import java.util.List;

/**
 * The files a task claims while it is in flight: its {@code files} globs ({@code src/app/**}, {@code README.md}),
 * relative to the directory its agent works in.
 */
public record Claim(String task, List<String> globs) {

    public Claim {
        globs = List.copyOf(globs);
    }

    /** The globs of this claim that may name a file {@code other} names too (empty: none). */
    public List<String> overlapWith(Claim other) {
        return globs.stream().filter(g -> other.globs.stream().anyMatch(o -> mayOverlap(g, o))).toList();
    }

    /** True when some glob of this claim may name a file {@code other} names too. */
    public boolean overlaps(Claim other) {
        return !overlapWith(other).isEmpty();
    }

    /**
     * Whether two globs may match a common path, erring on the side of yes: two plain paths when they are the same or
     * one is a folder holding the other; a plain path and a glob when the glob matches it or it is a folder the glob
     * reaches into; two globs when their literal parts before the first wildcard agree as far as the shorter goes.
     */
    static boolean mayOverlap(String a, String b) {
        String x = normal(a);
        String y = normal(b);
        String px = literalPrefix(x);
        String py = literalPrefix(y);
        boolean wildX = px.length() < x.length();
        boolean wildY = py.length() < y.length();
        if (!wildX && !wildY) {
            return x.equals(y) || x.startsWith(y + "/") || y.startsWith(x + "/");
        }
        if (!wildX) {
            return matches(y, x) || py.startsWith(x + "/");
        }
        if (!wildY) {
            return matches(x, y) || px.startsWith(y + "/");
        }
        return px.startsWith(py) || py.startsWith(px);
    }

    private static boolean matches(String glob, String path) {
        try {
            return java.nio.file.FileSystems.getDefault().getPathMatcher("glob:" + glob).matches(java.nio.file.Path.of(path));
        } catch (RuntimeException e) {
            return true;
        }
    }

    private static String normal(String glob) {
        String g = glob.strip();
        while (g.startsWith("./")) {
            g = g.substring(2);
        }
        while (g.endsWith("/")) {
            g = g.substring(0, g.length() - 1);
        }
        return g;
    }

    private static String literalPrefix(String glob) {
        for (int i = 0; i < glob.length(); i++) {
            char c = glob.charAt(i);
            if (c == '*' || c == '?' || c == '[' || c == '{' || c == '\\') {
                return glob.substring(0, i);
            }
        }
        return glob;
    }
}
