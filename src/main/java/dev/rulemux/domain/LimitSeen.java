package dev.rulemux.domain;

/**
 * A limit (rate limit, usage limit, API errors) shown on an agent's screen, with how long it has been shown
 * and, when the screen says, when it resets.
 *
 * @param agent       whose screen
 * @param line        the limit line
 * @param shownForMs  how long this limit has been on screen
 * @param resetsInMs  how long until the reset the screen gives (negative once it has passed); null when not given
 */
public record LimitSeen(String agent, String line, long shownForMs, Long resetsInMs) implements AboutAgent {

    public boolean resetPassed() {
        return resetsInMs != null && resetsInMs <= 0;
    }

    public boolean resetKnown() {
        return resetsInMs != null;
    }
}
