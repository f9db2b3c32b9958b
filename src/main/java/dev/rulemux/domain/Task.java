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
 * @param readySinceMs when it became ready (pending with its dependencies completed), epoch ms; -1 when it is not
 * @param lastAgent   the agent it was last given to, or null
 * @param stateSinceMs when it entered its state, epoch ms; -1 when unknown
 * @param isolation   where it must be done ({@code isolation:} of tasks.yaml): only by an agent in a worktree, only by
 *                    one in the shared checkout, or null: by any agent
 *
 * <p>A task holds instants, not ages, so that it stays the same fact from one tick to the next while nothing
 * happens to it; rules measure ages against the tick's {@link Now}: {@code waitingMs($now)}, {@code msInState($now)}.
 */
public record Task(String id, String title, Tier complexity, Priority priority, List<String> dependsOn,
                   TaskState state, String agent, int order, int attempts, int maxAttempts, boolean verified,
                   String preferAgent, long readySinceMs, String lastAgent, long stateSinceMs, IsolationMode isolation) {

    public Task {
        dependsOn = dependsOn == null ? List.of() : List.copyOf(dependsOn);
    }

    /** A fresh pending task (no attempts, no verify, nobody preferred). */
    public Task(String id, String title, Tier complexity, Priority priority, List<String> dependsOn, TaskState state,
                String agent, int order) {
        this(id, title, complexity, priority, dependsOn, state, agent, order, 0, 3, false, null, -1, agent, -1, null);
    }

    /** True when this task should be dispatched before {@code other}: more urgent, or as urgent and declared earlier. */
    public boolean precedes(Task other) {
        if (priority != other.priority) {
            return priority.above(other.priority);
        }
        return order < other.order;
    }

    /** How long it has been ready at {@code nowMs}; 0 when it is not ready. */
    public long waitingMs(long nowMs) {
        return readySinceMs < 0 ? 0 : Math.max(0, nowMs - readySinceMs);
    }

    /** How long it has been in its state at {@code nowMs}; 0 when unknown. */
    public long msInState(long nowMs) {
        return stateSinceMs < 0 ? 0 : Math.max(0, nowMs - stateSinceMs);
    }

    /** True while it occupies its agent (assigned or in progress); rules match it as {@code Task( agent == $a, inFlight )}. */
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
                verified, preferAgent, readySinceMs, onAgent != null ? onAgent : lastAgent, stateSinceMs, isolation);
    }

    /** The same task asking for {@code mode} (null: for nothing). */
    public Task withIsolation(IsolationMode mode) {
        return new Task(id, title, complexity, priority, dependsOn, state, agent, order, attempts, maxAttempts, verified,
                preferAgent, readySinceMs, lastAgent, stateSinceMs, mode);
    }

    /** True when an agent working {@code where} may take it: it asks for no isolation, or for that one. */
    public boolean takenIn(IsolationMode where) {
        return isolation == null || isolation == where;
    }
}
