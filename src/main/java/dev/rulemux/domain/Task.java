package dev.rulemux.domain;

import java.util.List;

/**
 * A task as the policy sees it.
 *
 * @param id         unique id
 * @param title      one line for people
 * @param complexity the tier of agent it needs
 * @param priority   how urgent it is
 * @param dependsOn  ids of the tasks that must be completed first
 * @param state      where it is in its life
 * @param agent      the agent it is on (while in flight), or null
 * @param order      its position in {@code tasks.yaml}, to break ties predictably
 */
public record Task(String id, String title, Tier complexity, Priority priority, List<String> dependsOn,
                   TaskState state, String agent, int order) {

    public Task {
        dependsOn = dependsOn == null ? List.of() : List.copyOf(dependsOn);
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

    public Task withState(TaskState newState, String onAgent) {
        return new Task(id, title, complexity, priority, dependsOn, newState, onAgent, order);
    }
}
