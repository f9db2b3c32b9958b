package dev.rulemux.rules;

import dev.rulemux.domain.Agent;
import java.io.ObjectInput;
import java.io.ObjectOutput;
import java.io.Serializable;
import java.util.Comparator;
import java.util.TreeSet;
import org.kie.api.runtime.rule.AccumulateFunction;

/**
 * The DRL accumulate function {@code earliest($agent)}: of the agents matched, the one declared first in
 * agents.yaml (lowest {@link Agent#order}). Like {@link MostUrgent}, it keeps its matches ordered, so an agent
 * joining or leaving costs a logarithm of their number.
 */
public final class Earliest implements AccumulateFunction<Earliest.Queue> {

    /** agents.yaml order, then name (two agents never tie). */
    static final Comparator<Agent> ORDER = Comparator.comparingInt(Agent::order).thenComparing(Agent::name);

    /** The matched agents in order. */
    public static final class Queue implements Serializable {
        private static final long serialVersionUID = 1L;
        private final transient TreeSet<Agent> tasks = new TreeSet<>(ORDER);
    }

    public Earliest() {
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
        queue.tasks.add((Agent) value);
    }

    @Override
    public void reverse(Queue queue, Object value) {
        queue.tasks.remove((Agent) value);
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
        return Agent.class;
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
