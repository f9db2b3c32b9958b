package dev.rulemux.tmux;

import dev.rulemux.terminal.TerminalException;

/** A tmux command failed or timed out; the message says which command and what tmux said. */
public class TmuxException extends TerminalException {

    private static final long serialVersionUID = 1L;

    public TmuxException(String message) {
        super(message);
    }
}
