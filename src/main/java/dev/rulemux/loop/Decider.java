package dev.rulemux.loop;

import dev.rulemux.config.AgentSpec;
import dev.rulemux.config.Config;
import dev.rulemux.config.Profile;
import dev.rulemux.config.TaskSpec;
import dev.rulemux.domain.Agent;
import dev.rulemux.domain.Now;
import dev.rulemux.domain.PaneSnapshot;
import dev.rulemux.domain.Task;
import dev.rulemux.domain.TaskState;
import dev.rulemux.rules.Decision;
import dev.rulemux.rules.PolicyEngine;
import dev.rulemux.screen.Observation;
import dev.rulemux.screen.ScreenReader;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One decision: the agents, their knobs, what their screens show, the tasks and the time, put before the
 * policy. Java gathers the facts; the rules decide.
 */
public final class Decider {

    private Decider() {
    }

    /** A decision and the observations it was made from (for {@code --explain}). */
    public record Outcome(Decision decision, Map<String, Observation> observations) {
    }

    public static Outcome decide(Config config, PolicyEngine policy, Map<String, PaneSnapshot> snapshots,
                                 List<Task> tasks, long nowMs, boolean trace) {
        List<Object> facts = new ArrayList<>();
        facts.add(new Now(nowMs));
        Map<String, Observation> observations = new LinkedHashMap<>();
        List<AgentSpec> agents = config.team().agents();
        for (int i = 0; i < agents.size(); i++) {
            AgentSpec spec = agents.get(i);
            facts.add(agentFact(spec, i));
            facts.add(config.policy().forAgent(spec));
            PaneSnapshot snapshot = snapshots.get(spec.name());
            if (snapshot == null) {
                continue;
            }
            Profile profile = config.profileOf(spec);
            Observation seen = ScreenReader.read(profile, snapshot);
            observations.put(spec.name(), seen);
            facts.add(snapshot);
            facts.addAll(seen.facts());
        }
        facts.addAll(tasks);
        return new Outcome(policy.decide(facts, trace), observations);
    }

    public static Agent agentFact(AgentSpec spec, int order) {
        return new Agent(spec.name(), spec.profile(), spec.tier(), spec.backup(), spec.role(), spec.approvals(),
                spec.startupDialogs(), order);
    }

    /** The tasks of {@code tasks.yaml} as pending tasks, in file order. */
    public static List<Task> pending(List<TaskSpec> specs) {
        List<Task> out = new ArrayList<>();
        for (int i = 0; i < specs.size(); i++) {
            TaskSpec s = specs.get(i);
            out.add(new Task(s.id(), s.title(), s.complexity(), s.priority(), s.dependsOn(), TaskState.PENDING, null, i));
        }
        return out;
    }
}
