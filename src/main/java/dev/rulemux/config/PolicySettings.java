package dev.rulemux.config;

import dev.rulemux.domain.Policy;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The policy's knobs from {@code rules/policy.yaml}: rulemux's shipped file, with the config directory's
 * file merged over it key by key (so a user's file only needs the knobs it changes). It holds the merged knobs and which file each came from.
 */
public final class PolicySettings {

    private final Map<String, String> values;
    private final Map<String, Path> origin;
    /**
     * The knobs already worked out for an agent (by the very AgentSpec of this configuration), so that a tick gives
     * the policy the same {@link Policy} again, which a run's long-lived session recognises at once.
     */
    private final Map<AgentSpec, Worked> worked = java.util.Collections.synchronizedMap(new java.util.IdentityHashMap<>());

    private record Worked(Map<String, String> profileKnobs, Path configDir, Policy policy) {
    }

    public PolicySettings(Map<String, String> values, Map<String, Path> origin) {
        this.values = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(values));
        this.origin = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(origin));
    }

    /** The merged knobs. */
    public Map<String, String> values() {
        return values;
    }

    /** Which file each knob's value came from. */
    public Map<String, Path> origin() {
        return origin;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PolicySettings p && p.values.equals(values) && p.origin.equals(origin);
    }

    @Override
    public int hashCode() {
        return java.util.Objects.hash(values, origin);
    }

    @Override
    public String toString() {
        return "PolicySettings[values=" + values + ", origin=" + origin + "]";
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
        Worked w = worked.get(agent);
        if (w != null && w.profileKnobs() == profileKnobs && java.util.Objects.equals(w.configDir(), configDir)) {
            return w.policy();
        }
        Policy policy = merge(agent, profileKnobs, configDir);
        worked.put(agent, new Worked(profileKnobs, configDir, policy));
        return policy;
    }

    private Policy merge(AgentSpec agent, Map<String, String> profileKnobs, Path configDir) {
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
