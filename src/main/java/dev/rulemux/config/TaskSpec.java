package dev.rulemux.config;

import dev.rulemux.domain.IsolationMode;
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
 * @param isolation   where it must be done ({@code isolation: worktree | none}): only by an agent in a worktree of its
 *                    own, only by one in the shared checkout; null (absent): by any agent
 */
public record TaskSpec(String id, String title, Tier complexity, Priority priority, String prompt, Path promptFile,
                       List<String> dependsOn, String verify, List<String> files, int maxAttempts, int line,
                       IsolationMode isolation) {

    public TaskSpec {
        dependsOn = List.copyOf(dependsOn);
        files = List.copyOf(files);
    }

    /** A task that asks for no isolation. */
    public TaskSpec(String id, String title, Tier complexity, Priority priority, String prompt, Path promptFile,
                    List<String> dependsOn, String verify, List<String> files, int maxAttempts, int line) {
        this(id, title, complexity, priority, prompt, promptFile, dependsOn, verify, files, maxAttempts, line, null);
    }
}
