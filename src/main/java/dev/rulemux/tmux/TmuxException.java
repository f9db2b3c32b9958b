package dev.rulemux.tmux;

/** A tmux command failed or timed out; the message says which command and what tmux said. */
public final class TmuxException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public TmuxException(String message) {
        super(message);
    }
}
