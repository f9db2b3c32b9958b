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
        Map<String, String> merged = new LinkedHashMap<>(values);
        merged.putAll(agent.policy());
        return new Policy(agent.name(), merged);
    }
}
