package dev.rulemux.domain;

/** What an agent is doing, as the policy classifies it from its screen and time. */
public enum Status {
    /** Launched but not yet ready for input, or showing a startup dialog. */
    STARTING,
    /** Ready for a prompt: an empty input box and nothing running. */
    IDLE,
    /** Running a turn: a working marker, or a screen that keeps changing. */
    WORKING,
    /** Text sits in the input box and nothing is running: a prompt that was typed but not submitted. */
    AWAITING_SUBMIT,
    /** A tool-use approval dialog is up. */
    AWAITING_APPROVAL,
    /** The CLI reports a rate limit, a usage limit or API errors it is retrying. */
    RATE_LIMITED,
    /** The CLI is gone: the pane is dead or back at a shell. */
    EXITED,
    /** Working, but the screen has not changed for longer than the policy allows. */
    STUCK,
    /** Nothing recognisable on the screen. */
    UNKNOWN;

    /** A status is busy when the agent must not be given a new prompt. */
    public boolean busy() {
        return this != IDLE;
    }
}
