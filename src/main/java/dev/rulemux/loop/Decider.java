package dev.rulemux.loop;

import dev.rulemux.config.AgentSpec;
import dev.rulemux.config.Config;
import dev.rulemux.config.TaskSpec;
import dev.rulemux.domain.Activity;
import dev.rulemux.domain.Agent;
import dev.rulemux.domain.Delivery;
import dev.rulemux.domain.Now;
import dev.rulemux.domain.PaneSnapshot;
import dev.rulemux.domain.Task;
import dev.rulemux.domain.TaskState;
import dev.rulemux.rules.Decision;
import dev.rulemux.rules.DecisionMaker;
import dev.rulemux.screen.Observation;
import dev.rulemux.screen.Readings;
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

    /**
     * What one tick knows besides the configuration.
     *
     * @param snapshots  the agents' pane captures, by agent (agents without one are not classified)
     * @param tasks      every task with its current state
     * @param deliveries the prompts in flight
     * @param activity   what rulemux last did to each agent
     * @param nowMs      the time
     * @param more       what else the loop knows: agents' reports, verification results, how long each agent has had
     *                   its status, limits on screen, restarts, handoff notes
     */
    public record Input(Map<String, PaneSnapshot> snapshots, List<Task> tasks, List<Delivery> deliveries,
                        List<Activity> activity, long nowMs, List<?> more) {

        public Input(Map<String, PaneSnapshot> snapshots, List<Task> tasks, List<Delivery> deliveries,
                     List<Activity> activity, long nowMs) {
            this(snapshots, tasks, deliveries, activity, nowMs, List.of());
        }
    }

    public static Outcome decide(Config config, DecisionMaker policy, Map<String, PaneSnapshot> snapshots,
                                 List<Task> tasks, long nowMs, boolean trace) {
        return decide(config, policy, new Input(snapshots, tasks, List.of(), List.of(), nowMs), trace);
    }

    public static Outcome decide(Config config, DecisionMaker policy, Input input, boolean trace) {
        return decide(config, policy, input, observe(config, input.snapshots()), trace);
    }

    /** What each agent's screen shows, read with its profile. */
    public static Map<String, Observation> observe(Config config, Map<String, PaneSnapshot> snapshots) {
        return observe(config, snapshots, null);
    }

    /** As {@link #observe(Config, Map)}, reusing the readings of screens that did not change ({@code readings} may be null). */
    public static Map<String, Observation> observe(Config config, Map<String, PaneSnapshot> snapshots, Readings readings) {
        Map<String, Observation> observations = new LinkedHashMap<>();
        for (AgentSpec spec : config.team().agents()) {
            PaneSnapshot snapshot = snapshots.get(spec.name());
            if (snapshot != null) {
                observations.put(spec.name(), readings == null ? ScreenReader.read(config.profileOf(spec), snapshot)
                        : readings.read(config.profileOf(spec), snapshot));
            }
        }
        return observations;
    }

    /** Decides from {@code input} and the observations already read from its snapshots. */
    public static Outcome decide(Config config, DecisionMaker policy, Input input, Map<String, Observation> observations,
                                 boolean trace) {
        Map<String, PaneSnapshot> snapshots = input.snapshots();
        List<Object> facts = new ArrayList<>();
        facts.add(new Now(input.nowMs()));
        List<AgentSpec> agents = config.team().agents();
        for (int i = 0; i < agents.size(); i++) {
            AgentSpec spec = agents.get(i);
            facts.add(agentFact(spec, i));
            facts.add(config.policy().forAgent(spec, config.profileOf(spec).policy(), config.dir()));
            config.profileOf(spec).hooks().promptSubmittedEvent()
                    .ifPresent(event -> facts.add(new dev.rulemux.domain.PromptHook(spec.name(), event)));
            PaneSnapshot snapshot = snapshots.get(spec.name());
            Observation seen = observations.get(spec.name());
            if (snapshot == null || seen == null) {
                continue;
            }
            facts.add(snapshot);
            facts.addAll(seen.facts());
        }
        facts.addAll(input.tasks());
        facts.addAll(input.deliveries());
        facts.addAll(input.activity());
        // An agent rulemux has done nothing to (always so offline, in rulemux decide) has a neutral activity.
        java.util.Set<String> known = new java.util.HashSet<>();
        input.activity().forEach(a -> known.add(a.agent()));
        for (AgentSpec spec : agents) {
            if (!known.contains(spec.name())) {
                facts.add(Activity.none(spec.name()));
            }
        }
        facts.addAll(input.more());
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
            out.add(new Task(s.id(), s.title(), s.complexity(), s.priority(), s.dependsOn(), TaskState.PENDING, null, i)
                    .withIsolation(s.isolation()));
        }
        return out;
    }
}
