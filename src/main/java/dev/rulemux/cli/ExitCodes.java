package dev.rulemux.cli;

/** The exit codes of every command. */
public final class ExitCodes {

    /** Everything went as asked. */
    public static final int OK = 0;
    /** Something failed at run time (the policy threw, tmux failed, a check found a problem). */
    public static final int FAILURE = 1;
    /** The input is wrong: bad options, bad YAML, bad DRL. Nothing was done. */
    public static final int BAD_INPUT = 2;

    private ExitCodes() {
    }
}
