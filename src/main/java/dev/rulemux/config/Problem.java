package dev.rulemux.config;

import java.nio.file.Path;

/**
 * One thing wrong with the configuration, located precisely enough to fix it without searching:
 * the file, the 1-based line (0 when the file as a whole is at fault), the field path and what is wrong.
 * A problem of a command-line flag has no file: its field is the flag ({@code --complexity}).
 */
public record Problem(Path file, int line, String field, String message) {

    @Override
    public String toString() {
        StringBuilder out = new StringBuilder();
        if (file != null) {
            out.append(file);
            if (line > 0) {
                out.append(':').append(line);
            }
            out.append(": ");
        }
        if (field != null && !field.isEmpty()) {
            out.append(field).append(": ");
        }
        return out.append(message).toString();
    }
}
