package dev.rulemux.rules;

import dev.rulemux.domain.AboutAgent;
import dev.rulemux.domain.Activity;
import dev.rulemux.domain.Agent;
import dev.rulemux.domain.Claim;
import dev.rulemux.domain.ContextMeter;
import dev.rulemux.domain.Delivery;
import dev.rulemux.domain.Dialog;
import dev.rulemux.domain.HookEvent;
import dev.rulemux.domain.TurnOnScreen;
import dev.rulemux.domain.HostDown;
import dev.rulemux.domain.InputBox;
import dev.rulemux.domain.Isolated;
import dev.rulemux.domain.LimitSeen;
import dev.rulemux.domain.Marker;
import dev.rulemux.domain.Now;
import dev.rulemux.domain.PaneSnapshot;
import dev.rulemux.domain.Policy;
import dev.rulemux.domain.PromptHook;
import dev.rulemux.domain.Restart;
import dev.rulemux.domain.StatusSince;
import dev.rulemux.domain.Task;
import dev.rulemux.domain.TaskOnScreen;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Predicate;
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
 * <li><b>Kept facts</b> (tasks, and what a run knows of its agents: screens, knobs, prompts in flight, what was
 * last done to them; most unchanged from one tick to the next, because they hold instants, not ages) stay in the
 * session while an equal fact comes in the next tick; a changed one is deleted and its new value inserted. What
 * the rules concluded from them logically (a task waiting for another, an agent's status) stays true with them.</li>
 * <li><b>The time</b> ({@link Now}) is updated in place every tick: every rule that joins it is matched again
 * (a rule that measures an age against it), from the facts before it, which are not.</li>
 * <li><b>Every other fact</b> (agents' reports, check results, handoff notes) is deleted and inserted again each
 * tick, so every rule that matches one of them matches afresh, as in a fresh session.</li>
 * <li><b>What rules inserted plainly</b> (actions, transitions) is deleted at the start of the next tick, as a
 * fresh session would not have it.</li>
 * </ul>
 * The one difference a rule could make: a plain {@code insert} concluded from kept facts alone would be made
 * once and not again while those facts hold. Such a rule joins {@code Now} (a rule that acts each tick while its
 * reason holds: an action, a transition; best as its last pattern, so that the time moving costs one test per
 * match), or its conclusion is a standing one and is written {@code insertLogical} (the specs of {@code rules/}
 * run every tick both ways to hold the two equal).
 *
 * <p>When firing fails, the session is thrown away and the next tick starts a fresh one from all its facts.
 */
public final class PolicySession implements DecisionMaker, AutoCloseable {

    private final PolicyEngine engine;
    private final Function<Object, Object> keyOf;
    private final Predicate<Object> inPlace;
    private final Function<Object, Object> ownerOf;
    private final Function<Object, Object> innerOf;

    private KieSession session;
    /** Kept facts in the session, by key. */
    private final Map<Object, Kept> kept = new HashMap<>();
    /** The kept facts of the last tick in the order they came (the same objects: {@link Kept#at}), nulls after. */
    private Object[] order = new Object[0];
    private Kept[] orderKept = new Kept[0];
    /** Kept facts by owner. */
    private final Map<Object, List<Kept>> byOwner = new HashMap<>();
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

    private PolicySession(PolicyEngine engine, Function<Object, Object> keyOf, Predicate<Object> inPlace,
                          Function<Object, Object> ownerOf, Function<Object, Object> innerOf) {
        this.engine = engine;
        this.keyOf = keyOf;
        this.inPlace = inPlace;
        this.ownerOf = o -> {
            Object owner = ownerOf.apply(o);
            return owner == null ? NO_OWNER : owner;
        };
        this.innerOf = innerOf;
    }

    /** The owner of kept facts that have none (each stands alone). */
    private static final Object NO_OWNER = new Object();

    /**
     * A session of {@code engine} that keeps facts from tick to tick while they are equal. {@code keyOf} names a
     * kept fact (a fact of the next tick with the same name is its next value) or returns null for a fact that
     * is not kept. A kept fact for which {@code inPlace} holds is updated in place every tick, equal or not (the
     * time: every rule that joins it is matched again, and what it concluded logically stays where it still holds).
     * {@code ownerOf} names the owner of a kept fact (an agent), or null: when one fact of an owner changes, all of
     * the owner's kept facts are taken out and put in again.
     */
    public static PolicySession of(PolicyEngine engine, Function<Object, Object> keyOf, Predicate<Object> inPlace,
                                   Function<Object, Object> ownerOf) {
        return of(engine, keyOf, inPlace, ownerOf, o -> null);
    }

    /**
     * As {@link #of(PolicyEngine, Function, Predicate, Function)}, with owners inside owners: {@code innerOf} names
     * the inner owner of an owner (what an agent's screen shows, inside the agent), or null. When a fact of an
     * inner owner changes, only the inner owner's facts are taken out and put in again; when a fact of the outer
     * one changes, the facts of both are.
     */
    public static PolicySession of(PolicyEngine engine, Function<Object, Object> keyOf, Predicate<Object> inPlace,
                                   Function<Object, Object> ownerOf, Function<Object, Object> innerOf) {
        return new PolicySession(engine, keyOf, inPlace, ownerOf, innerOf);
    }

    /**
     * The session of a run: it keeps tasks (named by their id) and the facts about agents that hold instants, not
     * ages (named by themselves: a changed one is another fact), while they do not change; it moves the time
     * ({@link Now}) in place every tick. Every other fact passes (inserted for one tick).
     *
     * <p>An agent's screen and what is read from it ({@link #SCREEN}) are owned apart, inside the agent: a working
     * agent's screen changes every tick (its spinner, its output), and only those facts are then taken out and put
     * in again, with what was concluded from them; the agent, its knobs, its activity and the rest stay, with what
     * was concluded from them alone. When one of those changes, all of the agent's facts are put in again.
     */
    public static PolicySession keepingUnchanged(PolicyEngine engine) {
        return of(engine, PolicySession::keyOf, o -> o instanceof Now, PolicySession::ownerOf,
                o -> o instanceof ScreenOf ? null : new ScreenOf(o));
    }

    /** What an agent's screen shows: the capture and the facts read from it with the agent's profile. */
    static final Set<Class<?>> SCREEN = Set.of(PaneSnapshot.class, Marker.class, InputBox.class, ContextMeter.class,
            Dialog.class, TaskOnScreen.class);

    /** The owner of an agent's screen facts, inside the agent. */
    private record ScreenOf(Object agent) {
    }

    private static Object ownerOf(Object fact) {
        if (fact instanceof Agent a) {
            return a.name();
        }
        if (fact instanceof AboutAgent a) {
            return SCREEN.contains(fact.getClass()) ? new ScreenOf(a.agent()) : a.agent();
        }
        return null;
    }

    /** The facts that a run's session keeps while they are equal: those that say nothing of the time but instants. */
    private static final Set<Class<?>> KEPT = Set.of(Agent.class, Policy.class, PaneSnapshot.class, Marker.class,
            InputBox.class, ContextMeter.class, Dialog.class, TaskOnScreen.class, Activity.class, StatusSince.class,
            Delivery.class, Restart.class, LimitSeen.class, HookEvent.class, Claim.class, Isolated.class, HostDown.class,
            TurnOnScreen.class, PromptHook.class);

    private static Object keyOf(Object fact) {
        if (fact instanceof Task t) {
            return t.id(); // no other kept fact is named by a string
        }
        if (fact instanceof Now) {
            return Now.class;
        }
        return KEPT.contains(fact.getClass()) ? fact : null;
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
            // 1. Take out what no longer holds: last tick's passing facts and plain conclusions, and the kept facts
            // that changed or went. Drools propagates deletions lazily: what was concluded from the deleted facts is
            // withdrawn when the rules next run. Let that happen now, before new facts come in; else a new fact could
            // meet a stale conclusion (last tick's status of an agent) and a rule fire on the pair, as no fresh
            // session would.
            for (FactHandle h : passing) {
                session.delete(h);
            }
            passing.clear();
            // Last tick's plain conclusions stay through this first firing (taken out with the new facts' coming
            // in, below): out now, they would have every rule that said them say them again right away, twice a tick.
            List<FactHandle> lastPlain = new ArrayList<>(plain.values());
            plain.clear();
            long tick = ++stamp;
            List<Object> fresh = new ArrayList<>();
            List<Kept> moved = new ArrayList<>();
            List<Kept> changed = new ArrayList<>();
            Set<Object> dirty = new HashSet<>();
            int seen = 0;
            // The facts mostly come in the order they came last tick, and mostly the same objects: follow last tick's
            // order and take the next kept fact when it is the very same object; look a fact up by its name only
            // when it is not (then go on from where that one was).
            Object[] nextOrder = new Object[facts.size()];
            Kept[] nextKept = new Kept[facts.size()];
            int n = 0;
            int j = 0;
            for (Object fact : facts) {
                if (j < order.length && order[j] == fact && orderKept[j].seen != tick) {
                    Kept k = orderKept[j++];
                    if (inPlace.test(fact)) {
                        moved.add(k);
                    }
                    k.seen = tick;
                    seen++;
                    k.at = n;
                    nextOrder[n] = fact;
                    nextKept[n++] = k;
                    continue;
                }
                Object key = keyOf.apply(fact);
                if (key == null) {
                    fresh.add(fact);
                    continue;
                }
                Kept k = kept.get(key);
                if (k != null && k.seen != tick && k.at >= 0) {
                    j = k.at + 1;
                }
                if (k == null) {
                    k = new Kept(key, fact, tick, ownerOf.apply(fact));
                    kept.put(key, k);
                    if (k.owner != NO_OWNER) {
                        byOwner.computeIfAbsent(k.owner, o -> new ArrayList<>()).add(k);
                    }
                    changed.add(k);
                    dirty.add(k.owner);
                } else if (k.seen == tick) {
                    fresh.add(fact); // a second fact of the same name this tick: it passes like any other
                    continue;
                } else if (inPlace.test(fact)) {
                    k.fact = fact;
                    moved.add(k);
                } else if (k.fact != fact && !k.fact.equals(fact)) {
                    if (k.handle != null) {
                        session.delete(k.handle);
                        k.handle = null;
                    }
                    k.fact = fact;
                    changed.add(k);
                    dirty.add(k.owner);
                }
                k.seen = tick;
                seen++;
                k.at = n;
                nextOrder[n] = fact;
                nextKept[n++] = k;
            }
            order = nextOrder;
            orderKept = nextKept;
            if (seen < kept.size()) { // some went
                for (Iterator<Kept> it = kept.values().iterator(); it.hasNext(); ) {
                    Kept k = it.next();
                    if (k.seen != tick) {
                        session.delete(k.handle);
                        it.remove();
                        List<Kept> mine = byOwner.get(k.owner);
                        if (mine != null) {
                            mine.remove(k);
                            if (mine.isEmpty()) {
                                byOwner.remove(k.owner);
                            }
                        }
                        dirty.add(k.owner);
                    }
                }
            }
            // An owner (an agent) with any fact new, changed or gone has all its kept facts taken out and put in
            // again, as a fresh session has them: nothing concluded from its old facts meets its new ones. An
            // agent with nothing changed keeps all of them, and all that was concluded from them. An inner owner
            // (the agent's screen) goes with its outer one, and alone when only its own facts changed.
            dirty.remove(NO_OWNER);
            List<Object> inner = new ArrayList<>();
            for (Object owner : dirty) {
                Object in = innerOf.apply(owner);
                if (in != null) {
                    inner.add(in);
                }
            }
            dirty.addAll(inner);
            for (Object owner : dirty) {
                for (Kept k : byOwner.getOrDefault(owner, List.of())) {
                    if (k.handle != null && !inPlace.test(k.fact)) {
                        session.delete(k.handle);
                        k.handle = null;
                        changed.add(k);
                    }
                }
            }
            // The time moves first, with what went out: what follows from it alone (a screen now still for long
            // enough, a limit over) is settled before the new facts come in.
            for (Kept k : moved) {
                session.update(k.handle, k.fact);
            }
            int count = session.fireAllRules(PolicyEngine.MAX_FIRINGS);
            // What a rule inserted plainly while the facts were half taken out is not a decision of this tick's
            // facts: out again, with last tick's. A rule whose reason still holds says it again below (it joins
            // Now, which moves, or a plain conclusion of its own kind, which goes).
            deletePlain();
            for (FactHandle h : lastPlain) {
                if (h instanceof InternalFactHandle f && f.isValid() || !(h instanceof InternalFactHandle)) {
                    session.delete(h);
                }
            }
            // 2. Put in what is new, move the facts that are updated in place (the time), and decide.
            for (Kept k : changed) {
                k.handle = session.insert(k.fact);
                keptInserted++;
            }
            for (Kept k : moved) {
                session.update(k.handle, k.fact); // again: a rule that acts while its reason holds fires on the settled facts
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

    private void deletePlain() {
        for (FactHandle h : new ArrayList<>(plain.values())) {
            session.delete(h);
        }
        plain.clear();
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
        byOwner.clear();
        order = new Object[0];
        orderKept = new Kept[0];
        passing.clear();
        plain.clear();
        concluded.clear();
    }

    @Override
    public synchronized void close() {
        dispose();
    }

    /** A kept fact, its handle in the session (null while out), the last tick that brought it, and its owner. */
    private static final class Kept {
        final Object key;
        Object fact;
        FactHandle handle;
        long seen;
        final Object owner;
        /** Where it came in the order of the last tick that brought it. */
        int at = -1;

        Kept(Object key, Object fact, long seen, Object owner) {
            this.key = key;
            this.fact = fact;
            this.seen = seen;
            this.owner = owner;
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
