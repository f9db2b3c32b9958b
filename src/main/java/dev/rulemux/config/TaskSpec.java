package dev.rulemux.config;

import dev.rulemux.domain.Priority;
import dev.rulemux.domain.Tier;
import java.nio.file.Path;
import java.util.List;

/**
 * One task of {@code tasks.yaml}.
 *
 * @param id          unique id
 * @param title       one line for people
 * @param complexity  the tier of agent it needs
 * @param priority    how urgent it is
 * @param prompt      the prompt text, or null when {@code promptFile} is given
 * @param promptFile  a file holding the prompt, or null
 * @param dependsOn   ids of tasks that must be completed first
 * @param verify      a command that checks the work, or null
 * @param files       files the task is about (told to the agent)
 * @param maxAttempts how many times it may be tried before it fails
 * @param line        where it is declared
 */
public record TaskSpec(String id, String title, Tier complexity, Priority priority, String prompt, Path promptFile,
                       List<String> dependsOn, String verify, List<String> files, int maxAttempts, int line) {

    public TaskSpec {
        dependsOn = List.copyOf(dependsOn);
        files = List.copyOf(files);
    }
}
