package dev.rulemux.config;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Collects every problem found while reading the configuration, so that the user sees all of them at once. */
public final class Problems {

    private final List<Problem> found = new ArrayList<>();
    private final List<Problem> warnings = new ArrayList<>();

    public void add(Path file, int line, String field, String message) {
        found.add(new Problem(file, line, field, message));
    }

    public void add(YamlNode node, String field, String message) {
        add(node.file(), node.line(), field, message);
    }

    /** Something that works but is probably not what the user meant (a task no agent can take, say). */
    public void warn(Path file, int line, String field, String message) {
        warnings.add(new Problem(file, line, field, message));
    }

    public List<Problem> warnings() {
        return List.copyOf(warnings);
    }

    public boolean isEmpty() {
        return found.isEmpty();
    }

    public List<Problem> list() {
        return List.copyOf(found);
    }

    /** Throws a {@link ConfigException} listing everything found so far, if anything was. */
    public void throwIfAny() {
        if (!found.isEmpty()) {
            throw new ConfigException(found);
        }
    }
}
