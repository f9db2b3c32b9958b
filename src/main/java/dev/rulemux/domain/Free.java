package dev.rulemux.domain;

/** An agent that may take a task: idle, with nothing in flight (or only a task whose turn just ended). */
public record Free(String agent) implements AboutAgent {
}
