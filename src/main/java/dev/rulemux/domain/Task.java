package dev.rulemux.domain;

import java.util.List;

/**
 * A task as the policy sees it.
 *
 * @param id          unique id
 * @param title       one line for people
 * @param complexity  the tier of agent it needs
 * @param priority    how urgent it is
 * @param dependsOn   ids of the tasks that must be completed first
 * @param state       where it is in its life
 * @param agent       the agent it is on (while in flight or verifying), or null
 * @param order       its position in the queue (tasks.yaml order, then added ones), to break ties predictably
 * @param attempts    how many times its prompt was delivered
 * @param maxAttempts how many deliveries it gets before it fails
 * @param verified    it has a verify command
 * @param preferAgent the agent it was handed to (a backup), or null
 * @param waitingMs   how long it has been ready (pending with its dependencies completed); 0 when not
 * @param lastAgent   the agent it was last given to, or null
 * @param msInState   how long it has been in its state
 */
public record Task(String id, String title, Tier complexity, Priority priority, List<String> dependsOn,
                   TaskState state, String agent, int order, int attempts, int maxAttempts, boolean verified,
                   String preferAgent, long waitingMs, String lastAgent, long msInState) {

    public Task {
        dependsOn = dependsOn == null ? List.of() : List.copyOf(dependsOn);
    }

    /** A fresh pending task (no attempts, no verify, nobody preferred). */
    public Task(String id, String title, Tier complexity, Priority priority, List<String> dependsOn, TaskState state,
                String agent, int order) {
        this(id, title, complexity, priority, dependsOn, state, agent, order, 0, 3, false, null, 0, agent, 0);
    }

    /** True when this task should be dispatched before {@code other}: more urgent, or as urgent and declared earlier. */
    public boolean precedes(Task other) {
        if (priority != other.priority) {
            return priority.above(other.priority);
        }
        return order < other.order;
    }

    public boolean inFlight() {
        return state.inFlight();
    }

    public boolean attemptsLeft() {
        return attempts < maxAttempts;
    }

    public boolean hasPreferredAgent() {
        return preferAgent != null && !preferAgent.isEmpty();
    }

    public Task withState(TaskState newState, String onAgent) {
        return new Task(id, title, complexity, priority, dependsOn, newState, onAgent, order, attempts, maxAttempts,
                verified, preferAgent, waitingMs, onAgent != null ? onAgent : lastAgent, msInState);
    }
}
