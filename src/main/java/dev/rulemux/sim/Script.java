package dev.rulemux.sim;

import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How the mock model answers one agent turn, as written by the test inside the prompt text.
 *
 * <p>A directive is {@code [mock key=value key=value …]} anywhere in the prompt; the first one counts.
 * Keys:
 * <ul>
 *   <li>{@code work=800ms|5s|2m} — stream the reply spread over that long (default 300 ms);</li>
 *   <li>{@code tokens=960000} (also {@code 960k}, {@code 1m}) — input tokens reported in usage (default 1200);</li>
 *   <li>{@code tool=shell} with optional {@code cmd=word} or {@code cmd="a b"} — answer with a shell tool call
 *       instead of text (default command {@value #DEFAULT_CMD}); once the tool result comes back, a short text;</li>
 *   <li>{@code status=429} — answer that HTTP error; {@code fail=N} — only the first N requests with this
 *       directive fail (without {@code status}, {@code fail=N} means 429);</li>
 *   <li>{@code limit=usage} — answer with the dialect's "usage limit reached" error, which resets after
 *       {@code resets=} (default three hours);</li>
 *   <li>{@code retry=2s} — the {@code retry-after} sent with errors (default 1 s);</li>
 *   <li>{@code pace=end|even} — when the text streams: in the last second of {@code work} (the default: the
 *       CLI shows its "working" status the whole time), or spread evenly over all of it (the CLI shows the
 *       reply growing, as with a real model);</li>
 *   <li>{@code lines=N} — append N numbered lines to the reply text, for a reply long enough to watch
 *       it stream;</li>
 *   <li>{@code write=FILE} with optional {@code text="a line"} — when the turn ends, the sim-agent appends that line
 *       to FILE (relative to where it runs), as an agent edits a file (the isolation tests and demo);</li>
 *   <li>{@code reply=text} — the reply text: everything after {@code reply=} up to the closing {@code ]}.</li>
 * </ul>
 * Values are single words, or double-quoted ({@code cmd="ls -la"}). Unknown keys are kept in
 * {@link #options()} and otherwise ignored.
 *
 * @param directive the directive as written, {@code ""} when the prompt has none
 * @param options   every key=value of the directive, in order, known or not
 */
public record Script(
        String directive,
        Duration work,
        long tokens,
        Optional<String> tool,
        String cmd,
        OptionalInt status,
        int fail,
        Optional<String> limit,
        Duration retryAfter,
        Optional<String> reply,
        Pace pace,
        int lines,
        Map<String, String> options) {

    /** When a reply's text streams within its {@code work} time. */
    public enum Pace {
        /** Keep-alives, then the text over the last second: the CLI looks busy until the reply lands. */
        END,
        /** The text in equal parts over the whole time, as a model that streams as it thinks. */
        EVEN
    }

    public static final Duration DEFAULT_WORK = Duration.ofMillis(300);
    public static final long DEFAULT_TOKENS = 1200;
    /**
     * Writes a file, so every CLI asks before running it: Claude Code and Gemini CLI run read-only commands
     * such as {@code echo} without asking.
     */
    public static final String DEFAULT_CMD = "touch mock-tool.txt";
    public static final Duration DEFAULT_RETRY_AFTER = Duration.ofSeconds(1);

    /** The behaviour of a prompt without a directive: a quick short reply. */
    public static final Script DEFAULT = new Script("", DEFAULT_WORK, DEFAULT_TOKENS, Optional.empty(), DEFAULT_CMD,
            OptionalInt.empty(), 0, Optional.empty(), DEFAULT_RETRY_AFTER, Optional.empty(), Pace.END, 0, Map.of());

    private static final Pattern DIRECTIVE = Pattern.compile("\\[mock(?:\\s+([^\\]]*))?\\]");
    private static final Pattern PAIR = Pattern.compile("([A-Za-z][\\w-]*)=(\"[^\"]*\"|\\S*)");
    private static final Pattern DURATION = Pattern.compile("(\\d+(?:\\.\\d+)?)(ms|s|m|h)?");
    private static final Pattern COUNT = Pattern.compile("(\\d+(?:\\.\\d+)?)([kKmM])?");

    public Script {
        options = Collections.unmodifiableMap(new LinkedHashMap<>(options));
    }

    /** Reads the first {@code [mock …]} directive of a prompt; {@link #DEFAULT} when there is none. */
    public static Script parse(String prompt) {
        if (prompt == null) {
            return DEFAULT;
        }
        Matcher m = DIRECTIVE.matcher(prompt);
        if (!m.find()) {
            return DEFAULT;
        }
        String body = m.group(1) == null ? "" : m.group(1);
        Map<String, String> options = new LinkedHashMap<>();
        int replyAt = body.indexOf("reply=");
        String pairs = body;
        if (replyAt >= 0 && (replyAt == 0 || Character.isWhitespace(body.charAt(replyAt - 1)))) {
            options.put("reply", body.substring(replyAt + "reply=".length()).strip());
            pairs = body.substring(0, replyAt);
        }
        Matcher p = PAIR.matcher(pairs);
        while (p.find()) {
            options.putIfAbsent(p.group(1).toLowerCase(Locale.ROOT), unquote(p.group(2)));
        }
        return fromOptions(m.group(), options);
    }

    private static Script fromOptions(String directive, Map<String, String> o) {
        OptionalInt status = o.containsKey("status") ? OptionalInt.of(Integer.parseInt(o.get("status")))
                : OptionalInt.empty();
        int fail = o.containsKey("fail") ? Integer.parseInt(o.get("fail")) : 0;
        if (status.isEmpty() && fail > 0 && !o.containsKey("limit")) {
            status = OptionalInt.of(429);
        }
        return new Script(
                directive,
                o.containsKey("work") ? parseDuration(o.get("work")) : DEFAULT_WORK,
                o.containsKey("tokens") ? parseCount(o.get("tokens")) : DEFAULT_TOKENS,
                Optional.ofNullable(o.get("tool")),
                o.getOrDefault("cmd", DEFAULT_CMD),
                status,
                fail,
                Optional.ofNullable(o.get("limit")),
                o.containsKey("retry") ? parseDuration(o.get("retry")) : DEFAULT_RETRY_AFTER,
                Optional.ofNullable(o.get("reply")).filter(r -> !r.isEmpty()),
                o.containsKey("pace") ? parsePace(o.get("pace")) : Pace.END,
                o.containsKey("lines") ? parseLines(o.get("lines")) : 0,
                o);
    }

    /** When a usage limit resets ({@code resets=90s}, default three hours), as the mock tells the CLI. */
    public Duration resets() {
        return options.containsKey("resets") ? parseDuration(options.get("resets")) : Duration.ofHours(3);
    }

    /** True when this script answers with an error: a status, or a usage limit. */
    public boolean fails() {
        return status.isPresent() || limit.isPresent();
    }

    /** The prompt with its directive cut out, for echoing back. */
    public static String withoutDirective(String prompt) {
        return prompt == null ? "" : DIRECTIVE.matcher(prompt).replaceFirst("").strip();
    }

    /** The reply text: the scripted {@code reply=} (else {@code defaultText}), then {@link #lines()} numbered lines. */
    public String replyText(String defaultText) {
        StringBuilder text = new StringBuilder(reply.orElse(defaultText));
        for (int i = 1; i <= lines; i++) {
            text.append(i == 1 ? "\n\n" : "\n").append(i).append(". Line ").append(i).append(" of ").append(lines)
                    .append(" of the mock model's reply.");
        }
        return text.toString();
    }

    static Pace parsePace(String text) {
        return switch (text.strip().toLowerCase(Locale.ROOT)) {
            case "end" -> Pace.END;
            case "even" -> Pace.EVEN;
            default -> throw new IllegalArgumentException("not a pace (end or even): " + text);
        };
    }

    static int parseLines(String text) {
        try {
            int lines = Integer.parseInt(text.strip());
            if (lines < 0 || lines > 10_000) {
                throw new IllegalArgumentException("lines out of range (0..10000): " + text);
            }
            return lines;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not a line count: " + text, e);
        }
    }

    /** {@code 800ms}, {@code 5s}, {@code 1.5s}, {@code 2m}, {@code 1h}; a bare number is seconds. */
    static Duration parseDuration(String text) {
        Matcher m = DURATION.matcher(text.strip());
        if (!m.matches()) {
            throw new IllegalArgumentException("not a duration: " + text);
        }
        double amount = Double.parseDouble(m.group(1));
        String unit = m.group(2) == null ? "s" : m.group(2);
        double millis = switch (unit) {
            case "ms" -> amount;
            case "s" -> amount * 1_000;
            case "m" -> amount * 60_000;
            case "h" -> amount * 3_600_000;
            default -> throw new IllegalArgumentException("unit " + unit);
        };
        return Duration.ofMillis(Math.round(millis));
    }

    /** {@code 960000}, {@code 960_000}, {@code 960k}, {@code 1m}. */
    static long parseCount(String text) {
        Matcher m = COUNT.matcher(text.strip().replace("_", ""));
        if (!m.matches()) {
            throw new IllegalArgumentException("not a count: " + text);
        }
        double amount = Double.parseDouble(m.group(1));
        long scale = m.group(2) == null ? 1 : m.group(2).equalsIgnoreCase("k") ? 1_000 : 1_000_000;
        return Math.round(amount * scale);
    }

    private static String unquote(String value) {
        return value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")
                ? value.substring(1, value.length() - 1) : value;
    }
}
