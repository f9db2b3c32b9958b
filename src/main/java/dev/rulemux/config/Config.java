package dev.rulemux.config;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Everything rulemux reads from a config directory, validated.
 *
 * @param sources  where rules, profiles and prompts are looked up
 * @param team     {@code agents.yaml}
 * @param tasks    {@code tasks.yaml} (empty when there is none)
 * @param profiles every profile available, by name
 * @param policy   the policy knobs
 * @param prompts  the prompt templates, by name (file name without {@code .md})
 * @param warnings things that work but are probably not meant
 */
public record Config(Sources sources, TeamConfig team, List<TaskSpec> tasks, Map<String, Profile> profiles,
                     PolicySettings policy, Map<String, PromptTemplate> prompts, List<Problem> warnings) {

    public Config {
        tasks = List.copyOf(tasks);
        profiles = Map.copyOf(profiles);
        prompts = Map.copyOf(prompts);
        warnings = List.copyOf(warnings);
    }

    /** The template {@code prompts/<name>.md}; every shipped one exists, so a missing one is a broken install. */
    public PromptTemplate prompt(String name) {
        PromptTemplate t = prompts.get(name);
        if (t == null) {
            throw new IllegalStateException("prompts/" + name + ".md is missing from the config directory and from rulemux");
        }
        return t;
    }

    public Path dir() {
        return sources.configDir();
    }

    public Optional<TaskSpec> task(String id) {
        return tasks.stream().filter(t -> t.id().equals(id)).findFirst();
    }

    public Profile profileOf(AgentSpec agent) {
        return profiles.get(agent.profile());
    }
}
