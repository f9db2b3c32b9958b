package dev.rulemux.rules;

/** The rules compiled but failed while deciding (a missing policy knob, a consequence that threw, a loop). */
public final class PolicyFailure extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public PolicyFailure(String message, Throwable cause) {
        super(message, cause);
    }
}
