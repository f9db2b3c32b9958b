package dev.rulemux.config;

import java.util.List;

/** The configuration cannot be used; {@link #problems()} says every reason found, each with its file and line. */
public final class ConfigException extends RuntimeException {

    private static final long serialVersionUID = 1L;
    private final transient List<Problem> problems;

    public ConfigException(List<Problem> problems) {
        super(render(problems));
        this.problems = List.copyOf(problems);
    }

    public List<Problem> problems() {
        return problems;
    }

    private static String render(List<Problem> problems) {
        StringBuilder out = new StringBuilder();
        for (Problem p : problems) {
            if (out.length() > 0) {
                out.append('\n');
            }
            out.append(p);
        }
        return out.toString();
    }
}
