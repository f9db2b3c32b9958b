package dev.rulemux.rules;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.drools.core.common.EqualityKey;
import org.drools.core.common.InternalFactHandle;
import org.kie.api.event.rule.AfterMatchFiredEvent;
import org.kie.api.event.rule.DefaultAgendaEventListener;
import org.kie.api.event.rule.DefaultRuleRuntimeEventListener;
import org.kie.api.event.rule.ObjectDeletedEvent;
import org.kie.api.event.rule.ObjectInsertedEvent;
import org.kie.api.runtime.KieSession;
import org.kie.api.runtime.rule.FactHandle;

/**
 * The policy of a run, deciding tick after tick in one long-lived session: what did not change is not matched
 * again. It decides what {@link PolicyEngine#decide} decides from the same facts, in a fresh session:
 * <ul>
 * <li><b>Kept facts</b> (tasks: many, and most unchanged from one tick to the next) stay in the session while an
 * equal fact comes in the next tick; a changed one is deleted and its new value inserted. What the rules
 * concluded from them logically (a task waiting for another, a task ready) stays true with them.</li>
 * <li><b>Every other fact</b> (the time, screens, agents, their knobs, prompts in flight) is deleted and inserted
 * again each tick, so every rule that matches one of them matches afresh, as in a fresh session.</li>
 * <li><b>What rules inserted plainly</b> (actions, transitions) is deleted at the start of the next tick, as a
 * fresh session would not have it.</li>
 * </ul>
 * The one difference a rule could make: a plain {@code insert} concluded from kept facts alone would be made
 * once and not again while those facts hold. Such a conclusion is a standing one and must be written
 * {@code insertLogical} (the specs of {@code rules/} run every tick both ways to hold the two equal).
 *
 * <p>When firing fails, the session is thrown away and the next tick starts a fresh one from all its facts.
 */
public final class PolicySession implements DecisionMaker, AutoCloseable {

    private final PolicyEngine engine;
    private final Function<Object, Object> keyOf;

    private KieSession session;
    /** Kept facts in the session, by key. */
    private final Map<Object, Kept> kept = new HashMap<>();
    /** This tick's other facts, to be deleted at the start of the next. */
    private final List<FactHandle> passing = new ArrayList<>();
    /** Facts the rules inserted plainly, still in the session. */
    private final Map<Object, FactHandle> plain = new IdentityHashMap<>();
    /** The conclusions in the session, in the order they were inserted (identity keys). */
    private final Map<Object, Boolean> concluded = new LinkedHashMap<>();
    private final List<FiredRule> fired = new ArrayList<>();
    private boolean tracing;
    private long ticks;
    private long stamp;
    private long keptInserted;

    private PolicySession(PolicyEngine engine, Function<Object, Object> keyOf) {
        this.engine = engine;
        this.keyOf = keyOf;
    }

    /**
     * A session of {@code engine} that keeps facts from tick to tick while they are equal. {@code keyOf} names a
     * kept fact (a fact of the next tick with the same name is its next value) or returns null for a fact that
     * is not kept.
     */
    public static PolicySession of(PolicyEngine engine, Function<Object, Object> keyOf) {
        return new PolicySession(engine, keyOf);
    }

    /** A session that keeps tasks (named by their id) from tick to tick. */
    public static PolicySession keepingTasks(PolicyEngine engine) {
        return of(engine, o -> o instanceof dev.rulemux.domain.Task t ? t.id() : null);
    }

    public PolicyEngine engine() {
        return engine;
    }

    /** How many kept facts (tasks) were put into the session since it was last started afresh. */
    public long keptInserted() {
        return keptInserted;
    }

    /** How many ticks this session decided since it was last started afresh. */
    public long ticks() {
        return ticks;
    }

    @Override
    public synchronized Decision decide(Collection<?> facts, boolean trace) {
        if (session == null) {
            start();
        }
        fired.clear();
        tracing = trace;
        try {
            for (FactHandle h : passing) {
                session.delete(h);
            }
            passing.clear();
            for (FactHandle h : new ArrayList<>(plain.values())) {
                session.delete(h);
            }
            plain.clear();
            // Drools propagates deletions lazily: what was concluded from the deleted facts is withdrawn when the
            // rules next run. Let that happen now, before new facts come in; else a new fact could meet a stale
            // conclusion (last tick's status of an agent) and a rule fire on the pair, as no fresh session would.
            int count = session.fireAllRules(PolicyEngine.MAX_FIRINGS);
            long tick = ++stamp;
            List<Object> fresh = new ArrayList<>();
            List<Object> changed = new ArrayList<>();
            for (Object fact : facts) {
                Object key = keyOf.apply(fact);
                if (key == null) {
                    fresh.add(fact);
                    continue;
                }
                Kept k = kept.get(key);
                if (k == null) {
                    kept.put(key, new Kept(fact, null, tick));
                    changed.add(key);
                } else if (k.seen == tick) {
                    fresh.add(fact); // a second fact of the same name this tick: it passes like any other
                } else if (k.fact == fact || k.fact.equals(fact)) {
                    k.seen = tick;
                } else {
                    session.delete(k.handle);
                    k.fact = fact;
                    k.handle = null;
                    k.seen = tick;
                    changed.add(key);
                }
            }
            for (Iterator<Kept> it = kept.values().iterator(); it.hasNext(); ) {
                Kept k = it.next();
                if (k.seen != tick) {
                    session.delete(k.handle);
                    it.remove();
                }
            }
            for (Object key : changed) {
                Kept k = kept.get(key);
                k.handle = session.insert(k.fact);
                keptInserted++;
            }
            for (Object fact : fresh) {
                passing.add(session.insert(fact));
            }
            count += session.fireAllRules(PolicyEngine.MAX_FIRINGS);
            if (count >= PolicyEngine.MAX_FIRINGS) {
                throw PolicyEngine.runaway(count);
            }
            ticks++;
            return PolicyEngine.collect(concluded.keySet().stream().map(k -> ((Identity) k).o()).toList(), List.copyOf(fired));
        } catch (RuntimeException e) {
            dispose();
            throw engine.failure(e);
        }
    }

    private void start() {
        session = engine.newSession();
        ticks = 0;
        keptInserted = 0;
        session.addEventListener(new DefaultRuleRuntimeEventListener() {
            @Override
            public void objectInserted(ObjectInsertedEvent event) {
                if (event.getRule() == null) {
                    return;
                }
                Object o = event.getObject();
                if (!logical(event.getFactHandle())) {
                    plain.put(o, event.getFactHandle());
                }
                if (PolicyEngine.isConclusion(o)) {
                    concluded.put(new Identity(o), Boolean.TRUE);
                }
            }

            @Override
            public void objectDeleted(ObjectDeletedEvent event) {
                Object o = event.getOldObject();
                plain.remove(o);
                if (PolicyEngine.isConclusion(o)) {
                    concluded.remove(new Identity(o));
                }
            }
        });
        session.addEventListener(new DefaultAgendaEventListener() {
            @Override
            public void afterMatchFired(AfterMatchFiredEvent event) {
                if (tracing) {
                    String name = event.getMatch().getRule().getName();
                    fired.add(new FiredRule(name, engine.locationOf(name), event.getMatch().getObjects()));
                }
            }
        });
    }

    /** Whether Drools holds this fact by justification (insertLogical) rather than as stated. */
    private static boolean logical(FactHandle handle) {
        if (handle instanceof InternalFactHandle internal) {
            EqualityKey key = internal.getEqualityKey();
            return key != null && key.getStatus() == EqualityKey.JUSTIFIED;
        }
        return false;
    }

    private void dispose() {
        if (session != null) {
            session.dispose();
            session = null;
        }
        kept.clear();
        passing.clear();
        plain.clear();
        concluded.clear();
    }

    @Override
    public synchronized void close() {
        dispose();
    }

    /** A kept fact, its handle in the session and the last tick that brought it. */
    private static final class Kept {
        Object fact;
        FactHandle handle;
        long seen;

        Kept(Object fact, FactHandle handle, long seen) {
            this.fact = fact;
            this.handle = handle;
            this.seen = seen;
        }
    }

    /** A key that compares by identity (equal facts are distinct facts in the session). */
    private record Identity(Object o) {
        @Override
        public boolean equals(Object other) {
            return other instanceof Identity i && i.o == o;
        }

        @Override
        public int hashCode() {
            return System.identityHashCode(o);
        }
    }
}
