package dev.rulemux.domain;

/**
 * A limit (rate limit, usage limit, API errors) shown on an agent's screen, with since when it has been shown
 * and, when the screen says, when it resets. Instants, not ages (see {@link PaneSnapshot}).
 *
 * @param agent        whose screen
 * @param line         the limit line
 * @param shownSinceMs since when this limit has been on screen, epoch ms
 * @param resetsAtMs   when the limit resets as the screen gives it, epoch ms; null when not given
 */
public record LimitSeen(String agent, String line, long shownSinceMs, Long resetsAtMs) implements AboutAgent {

    /** How long the limit has been on screen at {@code nowMs}. */
    public long shownForMs(long nowMs) {
        return Math.max(0, nowMs - shownSinceMs);
    }

    /** Whether the reset the screen gave has come at {@code nowMs}. */
    public boolean resetPassed(long nowMs) {
        return resetsAtMs != null && resetsAtMs <= nowMs;
    }

    public boolean resetKnown() {
        return resetsAtMs != null;
    }
}
