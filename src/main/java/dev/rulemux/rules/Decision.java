package dev.rulemux.rules;

import dev.rulemux.domain.Action;
import dev.rulemux.domain.AgentStatus;
import dev.rulemux.domain.StatusEvidence;
import dev.rulemux.domain.TaskTransition;
import java.util.List;
import java.util.Optional;

/**
 * What the policy decided in one tick: each agent's status (with all the evidence weighed), the actions
 * and task transitions in the order the rules inserted them, and, when traced, the rules that fired. A transition
 * concluded twice in one tick (two activations of a rule, say over two deliveries of the task, or two rules for two
 * pieces of evidence: a hook and the screen) is one decision, with the first one's reason.
 */
public record Decision(List<AgentStatus> statuses, List<StatusEvidence> evidence, List<Action> actions,
                       List<TaskTransition> transitions, List<FiredRule> fired) {

    public Decision {
        statuses = List.copyOf(statuses);
        evidence = List.copyOf(evidence);
        actions = List.copyOf(actions);
        java.util.Set<List<Object>> seen = new java.util.HashSet<>();
        transitions = transitions.stream()
                .filter(t -> seen.add(java.util.Arrays.asList(t.task(), t.to(), t.target()))).toList();
        fired = List.copyOf(fired);
    }

    public Optional<AgentStatus> statusOf(String agent) {
        return statuses.stream().filter(s -> s.agent().equals(agent)).findFirst();
    }
}
