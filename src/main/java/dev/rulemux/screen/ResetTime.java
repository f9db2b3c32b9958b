package dev.rulemux.screen;

import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the reset time a CLI shows with its limit ({@code 9:39am (UTC)}, {@code 9:09 AM}, {@code 5am},
 * {@code 21:30}, {@code in 28s}, {@code in 2h 5m}) into the instant the limit is over: a clock time is its next
 * occurrence at or after the moment the limit was first seen (in the zone it names, else the machine's), and,
 * shown to the minute, it is over when that minute is; a duration counts from now.
 */
public final class ResetTime {

    private static final Pattern CLOCK = Pattern.compile(
            "(?i)(\\d{1,2})(?::(\\d\\d))?(?::(\\d\\d))?\\s*([ap]\\.?m\\.?)?(?:\\s*\\(([^)]+)\\))?");
    private static final Pattern IN = Pattern.compile("(?i)(?:in\\s+)?((?:\\d+\\s*[hms]\\s*)+)$");
    private static final Pattern PART = Pattern.compile("(\\d+)\\s*([hms])");

    private ResetTime() {
    }

    /**
     * @param text      what the screen shows after "resets" / "try again at"
     * @param now       the time now
     * @param firstSeen when the limit was first seen (a clock time before it belongs to the next day)
     * @param zone      the zone of a clock time that names none
     */
    public static Optional<Instant> parse(String text, Instant now, Instant firstSeen, ZoneId zone) {
        if (text == null || text.isBlank()) {
            return Optional.empty();
        }
        String t = text.strip();
        Matcher in = IN.matcher(t);
        if (in.find() && (t.toLowerCase(Locale.ROOT).startsWith("in") || !t.contains(":") && !t.matches("(?i).*[ap]\\.?m.*"))) {
            Duration d = Duration.ZERO;
            Matcher p = PART.matcher(in.group(1));
            while (p.find()) {
                long n = Long.parseLong(p.group(1));
                d = d.plus(switch (p.group(2).toLowerCase(Locale.ROOT)) {
                    case "h" -> Duration.ofHours(n);
                    case "m" -> Duration.ofMinutes(n);
                    default -> Duration.ofSeconds(n);
                });
            }
            return Optional.of(now.plus(d));
        }
        Matcher m = CLOCK.matcher(t);
        if (!m.find()) {
            return Optional.empty();
        }
        int hour = Integer.parseInt(m.group(1));
        int minute = m.group(2) == null ? 0 : Integer.parseInt(m.group(2));
        int second = m.group(3) == null ? 0 : Integer.parseInt(m.group(3));
        String ampm = m.group(4) == null ? null : m.group(4).toLowerCase(Locale.ROOT).replace(".", "");
        if (ampm != null) {
            if (hour < 1 || hour > 12) {
                return Optional.empty();
            }
            hour = hour % 12 + (ampm.startsWith("p") ? 12 : 0);
        }
        if (hour > 23 || minute > 59 || second > 59) {
            return Optional.empty();
        }
        ZoneId z = zone;
        if (m.group(5) != null) {
            try {
                z = ZoneId.of(m.group(5).strip(), ZoneId.SHORT_IDS);
            } catch (DateTimeException e) {
                z = zone;
            }
        }
        ZonedDateTime seen = firstSeen.atZone(z);
        ZonedDateTime shown = seen.with(LocalTime.of(hour, minute, second));
        if (shown.isBefore(seen.minusMinutes(1))) {
            shown = shown.plusDays(1);
        }
        // Shown to the minute, the time names that whole minute (Codex shows a reset at 8:41:52 as "8:41 AM"):
        // the limit is over once that minute is.
        return Optional.of((m.group(3) == null ? shown.plusMinutes(1) : shown).toInstant());
    }
}
