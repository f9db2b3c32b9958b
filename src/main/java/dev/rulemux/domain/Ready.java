package dev.rulemux.domain;

/**
 * A pending task that may be given out now: its dependencies are completed, it has attempts left, it is not
 * held for the agent it was handed to, and no agent has been given it in this tick. Dispatch rules derive
 * these; an agent takes the most urgent one it may take.
 *
 * @param id     the task's id
 * @param tier   the task's complexity
 * @param handed the task was handed to a particular agent (a backup), whose hold on it has expired
 * @param task   the task
 */
public record Ready(String id, Tier tier, boolean handed, Task task) {

    public Ready(Task task) {
        this(task.id(), task.complexity(), task.hasPreferredAgent(), task);
    }

    /** Hashed by id alone (ids are unique; equality still compares every field): cheap for the rules' bookkeeping. */
    @Override
    public int hashCode() {
        return id.hashCode();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Ready r && id.equals(r.id) && tier == r.tier && handed == r.handed && task.equals(r.task);
    }
}
