package dev.rulemux.domain;

/**
 * An idle agent with nothing in flight may take a ready task, with how good a match it is: 0 the task was
 * handed to it, 1 the task is of its tier, higher a fallback. Dispatch rules derive these; the best match wins.
 */
public record Eligible(String agent, String task, int rank, String why) implements AboutAgent {
}
