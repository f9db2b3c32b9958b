package dev.rulemux.terminal;

/** A terminal call failed or timed out; the message says which and what the terminal said. */
public class TerminalException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public TerminalException(String message) {
        super(message);
    }
}
