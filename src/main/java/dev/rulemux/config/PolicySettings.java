package dev.rulemux.config;

import dev.rulemux.domain.Policy;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The policy's knobs from {@code rules/policy.yaml}: rulemux's shipped file, with the config directory's
 * file merged over it key by key (so a user's file only needs the knobs it changes).
 *
 * @param values the merged knobs
 * @param origin which file each knob's value came from
 */
public record PolicySettings(Map<String, String> values, Map<String, Path> origin) {

    public PolicySettings {
        values = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(values));
        origin = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(origin));
    }

    /** The knobs as they apply to {@code agent}: these, overridden by the agent's own {@code policy:}. */
    public Policy forAgent(AgentSpec agent) {
        return forAgent(agent, Map.of(), null);
    }

    /**
     * The knobs as they apply to {@code agent} running a CLI whose profile sets {@code profileKnobs}: shipped
     * defaults, then the profile's values, then the user's {@code rules/policy.yaml}, then the agent's own.
     */
    public Policy forAgent(AgentSpec agent, Map<String, String> profileKnobs, Path configDir) {
        Map<String, String> merged = new LinkedHashMap<>(values);
        profileKnobs.forEach((k, v) -> {
            Path from = origin.get(k);
            boolean userSetIt = from != null && configDir != null && from.startsWith(configDir);
            if (!userSetIt) {
                merged.put(k, v);
            }
        });
        merged.putAll(agent.policy());
        return new Policy(agent.name(), merged);
    }
}
