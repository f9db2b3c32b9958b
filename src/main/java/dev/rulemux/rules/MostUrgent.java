package dev.rulemux.rules;

import dev.rulemux.domain.Task;
import java.io.ObjectInput;
import java.io.ObjectOutput;
import java.io.Serializable;
import java.util.Comparator;
import java.util.TreeSet;
import org.kie.api.runtime.rule.AccumulateFunction;

/**
 * The DRL accumulate function {@code mostUrgent($task)}: of the tasks matched, the one to dispatch first (more
 * urgent, then earlier in the queue; see {@link Task#precedes}). It keeps the matched tasks ordered, so a task
 * joining or leaving the match costs a logarithm of their number, not a pass over all of them: a tick that
 * gives out a hundred tasks from a queue of ten thousand does not compare every task with every other.
 * Rules use it as {@code import accumulate dev.rulemux.rules.MostUrgent mostUrgent;}.
 */
public final class MostUrgent implements AccumulateFunction<MostUrgent.Queue> {

    /** Dispatch order: more urgent first, then queue order, then id (two tasks never tie). */
    static final Comparator<Task> ORDER = Comparator.comparing(Task::priority)
            .thenComparingInt(Task::order)
            .thenComparing(Task::id);

    /** The matched tasks in dispatch order. */
    public static final class Queue implements Serializable {
        private static final long serialVersionUID = 1L;
        private final transient TreeSet<Task> tasks = new TreeSet<>(ORDER);
    }

    public MostUrgent() {
    }

    @Override
    public Queue createContext() {
        return new Queue();
    }

    @Override
    public void init(Queue queue) {
        queue.tasks.clear();
    }

    @Override
    public void accumulate(Queue queue, Object value) {
        queue.tasks.add((Task) value);
    }

    @Override
    public void reverse(Queue queue, Object value) {
        queue.tasks.remove((Task) value);
    }

    @Override
    public Object getResult(Queue queue) {
        return queue.tasks.isEmpty() ? null : queue.tasks.first();
    }

    @Override
    public boolean supportsReverse() {
        return true;
    }

    @Override
    public Class<?> getResultType() {
        return Task.class;
    }

    @Override
    public void writeExternal(ObjectOutput out) {
        // stateless: the queue lives in each match's context
    }

    @Override
    public void readExternal(ObjectInput in) {
        // stateless
    }
}
