package dev.rulemux.rules;

import dev.rulemux.config.ConfigLoader;
import dev.rulemux.config.KnobReferences;
import dev.rulemux.config.Problem;
import dev.rulemux.config.Sources;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The policy of a live run: compiled from disk at start, rebuilt when a DRL file changes, and kept as it
 * was when a rebuild fails, so that a broken edit never stops the team.
 */
public final class LivePolicy implements AutoCloseable {

    private final Sources sources;
    private PolicyEngine current;
    private PolicySession session;
    private List<RuleFile> loaded;
    private List<RuleFile> lastFailed;

    private LivePolicy(Sources sources, PolicyEngine engine) {
        this.sources = sources;
        this.current = engine;
        this.loaded = engine.files();
    }

    /** Compiles the policy found through {@code sources}; throws {@link RuleCompileException} when it does not compile. */
    public static LivePolicy load(Sources sources) {
        return load(sources, null);
    }

    /** {@link #load(Sources)}, taking what {@code prefetch} read from the cache for these files (null: none). */
    public static LivePolicy load(Sources sources, PolicyPrefetch prefetch) {
        return new LivePolicy(sources, PolicyEngine.compileWith(RuleFile.from(sources), prefetch));
    }

    public synchronized PolicyEngine current() {
        return current;
    }

    /**
     * The long-lived session of the policy in force, for a run's ticks: started on first use, started afresh
     * from the next tick's facts when the policy is rebuilt.
     */
    public synchronized PolicySession session() {
        if (session == null || session.engine() != current) {
            if (session != null) {
                session.close();
            }
            session = PolicySession.keepingUnchanged(current);
        }
        return session;
    }

    /**
     * Rebuilds the policy if any DRL file was added, removed or changed since the last build.
     *
     * @return what happened: nothing, a new policy in force, or a failed build (reported once per broken
     *     version; the previous policy stays in force)
     */
    public synchronized Reload refresh() {
        List<RuleFile> onDisk = RuleFile.from(sources);
        if (onDisk.equals(loaded) || Objects.equals(onDisk, lastFailed)) {
            return Reload.UNCHANGED;
        }
        try {
            requireDefinedKnobs(onDisk);
            PolicyEngine rebuilt = PolicyEngine.compile(onDisk);
            PolicyEngine old = current;
            current = rebuilt;
            loaded = onDisk;
            lastFailed = null;
            old.close();
            return new Reload(true, Optional.empty());
        } catch (RuleCompileException e) {
            lastFailed = onDisk;
            return new Reload(false, Optional.of(e));
        }
    }

    /**
     * An edited rule that reads a knob no {@code policy.yaml} defines is refused like one that does not compile (the
     * check a run's start made of every rule), so that it never fails a tick.
     */
    private void requireDefinedKnobs(List<RuleFile> files) {
        Set<String> knobs = ConfigLoader.knobNames(sources);
        List<RuleError> errors = new ArrayList<>();
        for (RuleFile file : files) {
            for (Problem p : KnobReferences.undefined(file.path(), file.text(), knobs)) {
                errors.add(new RuleError(p.file(), p.line(), 0, p.field() + ": " + p.message()));
            }
        }
        if (!errors.isEmpty()) {
            throw new RuleCompileException(errors);
        }
    }

    @Override
    public synchronized void close() {
        if (session != null) {
            session.close();
        }
        current.close();
    }

    /** The outcome of {@link #refresh()}. */
    public record Reload(boolean reloaded, Optional<RuleCompileException> failure) {
        public static final Reload UNCHANGED = new Reload(false, Optional.empty());
    }
}
