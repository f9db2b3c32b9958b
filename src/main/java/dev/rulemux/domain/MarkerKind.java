package dev.rulemux.domain;

/** The kinds of screen marker a CLI profile defines. */
public enum MarkerKind {
    /** The input line, where a prompt is typed. */
    INPUT,
    /** A paste placeholder such as {@code [Pasted text #1 +20 lines]} in the input box. */
    PASTE,
    /** A spinner or "esc to interrupt": a turn is running. */
    WORKING,
    /** A finished-turn line such as {@code ✻ Churned for 3s}. */
    FINISHED,
    /** A tool-use approval dialog. */
    APPROVAL,
    /** A startup dialog such as "Do you trust the files in this folder?". */
    STARTUP_DIALOG,
    /** The context meter. */
    CONTEXT,
    /** A rate limit, usage limit or API error being retried. */
    RATE_LIMIT,
    /** The CLI has exited. */
    EXITED
}
