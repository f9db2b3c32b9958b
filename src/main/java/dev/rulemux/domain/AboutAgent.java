package dev.rulemux.domain;

/** A fact about one agent. */
public interface AboutAgent {

    /** The agent's name. */
    String agent();
}
