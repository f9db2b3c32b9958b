package dev.rulemux.git;

/** A git call that failed, with the command and what git said. */
public class GitException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public GitException(String message) {
        super(message);
    }
}
