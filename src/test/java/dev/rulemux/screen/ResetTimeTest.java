package dev.rulemux.screen;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.ZoneId;
import org.junit.jupiter.api.Test;

/** The reset times the real CLIs show, read into instants. */
class ResetTimeTest {

    private static final ZoneId PARIS = ZoneId.of("Europe/Paris");
    private static final Instant NOW = Instant.parse("2026-11-21T08:30:00Z");

    private static Instant at(String text) {
        return ResetTime.parse(text, NOW, NOW, PARIS).orElseThrow();
    }

    @Test
    void claudeCodesClockTimeInTheZoneItNames() {
        assertThat(at("9:39am (UTC)")).isEqualTo(Instant.parse("2026-11-21T09:40:00Z"));
        assertThat(at("5am (UTC)")).as("already past today: tomorrow").isEqualTo(Instant.parse("2026-11-22T05:01:00Z"));
    }

    @Test
    void codexsClockTimeInTheMachinesZone() {
        assertThat(at("9:39 AM")).isEqualTo(Instant.parse("2026-11-21T08:40:00Z"));
        assertThat(at("12:05 PM")).isEqualTo(Instant.parse("2026-11-21T11:06:00Z"));
        assertThat(at("21:30")).isEqualTo(Instant.parse("2026-11-21T20:31:00Z"));
        assertThat(at("21:30:15")).as("shown to the second").isEqualTo(Instant.parse("2026-11-21T20:30:15Z"));
    }

    @Test
    void aClockTimeShownToTheMinuteLastsUntilThatMinuteIsOver() {
        // Codex, limited at 8:41:12 until 8:41:52, shows "try again at 8:41 AM"
        Instant seen = Instant.parse("2026-11-21T08:41:12Z");
        assertThat(ResetTime.parse("8:41 AM", seen, seen, ZoneId.of("UTC"))).contains(Instant.parse("2026-11-21T08:42:00Z"));
    }

    @Test
    void aDurationCountsFromNow() {
        assertThat(at("in 28s")).isEqualTo(NOW.plusSeconds(28));
        assertThat(at("in 2h 5m")).isEqualTo(NOW.plusSeconds(2 * 3600 + 300));
        assertThat(at("45s")).isEqualTo(NOW.plusSeconds(45));
    }

    @Test
    void aClockTimeAMinuteBeforeTheLimitWasSeenIsStillToday() {
        Instant seen = Instant.parse("2026-11-21T09:39:30Z");
        assertThat(ResetTime.parse("9:39am (UTC)", seen.plusSeconds(600), seen, PARIS)).contains(Instant.parse("2026-11-21T09:40:00Z"));
    }

    @Test
    void whatIsNotATimeIsNotRead() {
        assertThat(ResetTime.parse("soon", NOW, NOW, PARIS)).isEmpty();
        assertThat(ResetTime.parse("13pm", NOW, NOW, PARIS)).isEmpty();
        assertThat(ResetTime.parse("", NOW, NOW, PARIS)).isEmpty();
    }
}
