package dev.rulemux.domain;

/**
 * What an agent is doing, as the policy classifies it from its screen and time. Each status carries its
 * {@linkplain #rank() rank}: when the screen gives evidence for several, the highest-ranked one wins.
 */
public enum Status {
    /** Launched but not yet ready for input, or showing a startup dialog. */
    STARTING(20),
    /** Ready for a prompt: an empty input box and nothing running. */
    IDLE(40),
    /** Running a turn: a working marker, or a screen that keeps changing. */
    WORKING(60),
    /** Text sits in the input box and nothing is running: a prompt that was typed but not submitted. */
    AWAITING_SUBMIT(50),
    /** A tool-use approval dialog is up. */
    AWAITING_APPROVAL(90),
    /** The CLI reports a rate limit, a usage limit or API errors it is retrying. */
    RATE_LIMITED(80),
    /** The CLI is gone: the pane is dead or back at a shell. */
    EXITED(100),
    /** Working, but the screen has not changed for longer than the policy allows. */
    STUCK(70),
    /** Nothing recognisable on the screen. */
    UNKNOWN(0);

    private final int rank;

    Status(int rank) {
        this.rank = rank;
    }

    /**
     * How strongly evidence for this status outweighs evidence for another: an exit beats a dialog, a dialog beats
     * a rate limit, a rate limit beats being stuck, which beats working, text waiting to be submitted, an idle
     * input box and starting up; nothing recognisable ranks lowest.
     */
    public int rank() {
        return rank;
    }

    /** A status is busy when the agent must not be given a new prompt. */
    public boolean busy() {
        return this != IDLE;
    }
}
