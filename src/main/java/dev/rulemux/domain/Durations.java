package dev.rulemux.domain;

import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Durations as people write them in YAML: {@code 250ms}, {@code 30s}, {@code 2m}, {@code 1h}, {@code 1m30s},
 * and {@code never}.
 */
public final class Durations {

    private static final Pattern PART = Pattern.compile("(\\d+)(ms|s|m|h)");

    private Durations() {
    }

    /** What {@code never} stands for: longer than any run. */
    public static final Duration NEVER = Duration.ofDays(36_500);

    /** Durations already read, by their text: rules read knobs in constraints, tick after tick (bounded, see {@link #parse}). */
    private static final Map<String, Duration> READ = new ConcurrentHashMap<>();

    public static Duration parse(String text) {
        Duration known = text == null ? null : READ.get(text);
        if (known != null) {
            return known;
        }
        Duration d = read(text);
        if (READ.size() < 1024) {
            READ.put(text, d);
        }
        return d;
    }

    private static Duration read(String text) {
        String s = text == null ? "" : text.trim().toLowerCase(Locale.ROOT).replace(" ", "");
        if (s.equals("never")) {
            return NEVER;
        }
        if (s.isEmpty()) {
            throw new IllegalArgumentException("must be a duration such as 250ms, 30s, 2m or 1h, not nothing");
        }
        Matcher m = PART.matcher(s);
        Duration total = Duration.ZERO;
        int at = 0;
        while (at < s.length()) {
            if (!m.find(at) || m.start() != at) {
                throw new IllegalArgumentException("must be a duration such as 250ms, 30s, 2m or 1h, not \"" + text + "\"");
            }
            long n = Long.parseLong(m.group(1));
            total = total.plus(switch (m.group(2)) {
                case "ms" -> Duration.ofMillis(n);
                case "s" -> Duration.ofSeconds(n);
                case "m" -> Duration.ofMinutes(n);
                default -> Duration.ofHours(n);
            });
            at = m.end();
        }
        return total;
    }

    /** The shortest readable form: {@code 1500ms} becomes {@code 1.5s}, {@code 120s} becomes {@code 2m}. */
    public static String format(Duration d) {
        long ms = d.toMillis();
        if (ms < 1000) {
            return ms + "ms";
        }
        if (ms % 60_000 == 0 && ms >= 60_000) {
            return ms / 60_000 + "m";
        }
        if (ms % 1000 == 0) {
            return ms / 1000 + "s";
        }
        return String.format(Locale.ROOT, "%.1fs", ms / 1000.0);
    }
}
