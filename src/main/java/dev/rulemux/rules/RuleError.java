package dev.rulemux.rules;

import java.nio.file.Path;

/** A DRL compile error, located in the user's file. {@code line} is 0 when Drools could not say. */
public record RuleError(Path file, int line, int column, String message) {

    @Override
    public String toString() {
        return file + (line > 0 ? ":" + line : "") + ": " + message;
    }
}
