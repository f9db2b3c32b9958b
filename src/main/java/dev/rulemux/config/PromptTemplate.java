package dev.rulemux.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A prompt template from {@code prompts/<name>.md}: text with {@code {{variable}}} placeholders. Only the
 * variables rulemux knows may appear (a typo is reported with its file and line at load, not sent to an
 * agent); a variable with no value renders as nothing.
 */
public record PromptTemplate(String name, Path file, String text) {

    /** Every variable a template may use. */
    public static final Set<String> VARIABLES = Set.of(
            "task.id", "task.title", "task.prompt", "task.files", "task.complexity", "task.priority", "task.attempt",
            "task.verify", "agent.name", "agent.role", "agent.tier", "agent.backup",
            "file", "reason", "note", "failure", "handoff.file", "handoff.from", "rulemux", "config.dir",
            "role.instructions", "report.done", "report.blocked");

    private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{\\s*([^{}\\s]*)\\s*}}");

    /** Reads and checks {@code file}; returns null with problems recorded when it cannot be used. */
    public static PromptTemplate read(String name, Path file, Problems problems) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            problems.add(file, 0, null, "cannot be read: " + e.getMessage());
            return null;
        }
        Matcher m = PLACEHOLDER.matcher(text);
        boolean ok = true;
        while (m.find()) {
            if (!VARIABLES.contains(m.group(1))) {
                int line = 1 + (int) text.substring(0, m.start()).chars().filter(c -> c == '\n').count();
                problems.add(file, line, null, "{{" + m.group(1) + "}} is not a template variable (variables: "
                        + String.join(", ", new TreeSet<>(VARIABLES)) + ")");
                ok = false;
            }
        }
        return ok ? new PromptTemplate(name, file, text) : null;
    }

    /** The text with each placeholder replaced by its value ({@code ""} when absent); trailing blank lines trimmed. */
    public String render(Map<String, String> values) {
        Matcher m = PLACEHOLDER.matcher(text);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            m.appendReplacement(out, Matcher.quoteReplacement(values.getOrDefault(m.group(1), "")));
        }
        m.appendTail(out);
        return out.toString().replaceAll("\\n{3,}", "\n\n").strip();
    }
}
