package dev.rulemux.domain;

/**
 * A profile marker found on an agent's screen.
 *
 * @param agent      whose screen
 * @param kind       what the marker means
 * @param pattern    the profile's regular expression that matched (or a description, for markers not made of text)
 * @param line       the screen line it matched
 * @param fromBottom how far up the line is, counting non-blank lines from the bottom (0 = the last one)
 * @param value      what the marker's named group captured (a context percentage, a reset time), or null
 */
public record Marker(String agent, MarkerKind kind, String pattern, String line, int fromBottom, String value) implements AboutAgent {
}
