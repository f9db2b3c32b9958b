package dev.rulemux.rules;

import java.util.List;
import java.util.stream.Collectors;

/** The DRL does not compile; {@link #errors()} lists each error with its file and line. */
public final class RuleCompileException extends RuntimeException {

    private static final long serialVersionUID = 1L;
    private final transient List<RuleError> errors;

    public RuleCompileException(List<RuleError> errors) {
        super(errors.stream().map(RuleError::toString).collect(Collectors.joining("\n")));
        this.errors = List.copyOf(errors);
    }

    public List<RuleError> errors() {
        return errors;
    }
}
