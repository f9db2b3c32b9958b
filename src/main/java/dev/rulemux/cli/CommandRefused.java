package dev.rulemux.cli;

/**
 * A command refuses what it was asked (an unknown task, a transition the task's state does not allow): {@code Main}
 * prints {@code error: <message>} and exits with {@link #exitCode()}.
 */
public final class CommandRefused extends RuntimeException {

    private static final long serialVersionUID = 1L;
    private final int exitCode;

    public CommandRefused(int exitCode, String message) {
        super(message);
        this.exitCode = exitCode;
    }

    public int exitCode() {
        return exitCode;
    }
}
