package dev.rulemux.rules;

import dev.rulemux.config.Sources;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.kie.api.KieBase;

/**
 * The compiled policy read from the cache on a thread of its own while the command reads its configuration: reading
 * it back (deserialising the rule packages and building the network, ~0.4 s of a cold {@code decide} or {@code run})
 * and reading the YAML then overlap on a machine with a second core. It only ever reads the cache, never compiles;
 * the policy is then built as always ({@link PolicyEngine#compileWith(List, PolicyPrefetch)}), from the files read again,
 * and the rule base read here is taken only when those files give the same cache key (so it is never stale: a DRL
 * edited in between is another key, and is compiled). Whatever fails here is as if nothing had been read.
 */
public final class PolicyPrefetch {

    private record Read(String key, KieBase base) {
    }

    private final CompletableFuture<Optional<Read>> reading;
    private boolean taken;

    private PolicyPrefetch(CompletableFuture<Optional<Read>> reading) {
        this.reading = reading;
    }

    /** Starts reading the cached policy of the DRL files {@code sources} sees (nothing when the cache is off). */
    public static PolicyPrefetch start(Sources sources) {
        return start(sources, CompiledPolicyCache.standard());
    }

    /** {@link #start(Sources)} with the compiled policies cached in {@code cacheDir} (for tests). */
    static PolicyPrefetch start(Sources sources, java.nio.file.Path cacheDir) {
        return start(sources, CompiledPolicyCache.in(cacheDir));
    }

    private static PolicyPrefetch start(Sources sources, Optional<CompiledPolicyCache> cache) {
        CompletableFuture<Optional<Read>> reading = new CompletableFuture<>();
        if (cache.isEmpty()) {
            reading.complete(Optional.empty());
            return new PolicyPrefetch(reading);
        }
        Thread thread = new Thread(() -> {
            try {
                List<RuleFile> files = RuleFile.from(sources);
                String key = files.isEmpty() ? null : CompiledPolicyCache.key(PolicyEngine.buildSources(files));
                reading.complete(key == null ? Optional.empty() : cache.get().load(key).map(base -> new Read(key, base)));
            } catch (RuntimeException | LinkageError e) {
                reading.complete(Optional.empty());
            }
        }, "rulemux-policy-prefetch");
        thread.setDaemon(true);
        thread.start();
        return new PolicyPrefetch(reading);
    }

    /** Waits for the read to end, taking nothing (for tests). */
    void awaitRead() {
        reading.join();
    }

    /**
     * The rule base read for {@code key}, once (it then belongs to the caller): empty when none was read, or it was
     * read for other files, or it was taken before. Waits for the read to end.
     */
    synchronized Optional<KieBase> take(String key) {
        if (taken) {
            return Optional.empty();
        }
        taken = true;
        Optional<Read> read = reading.join();
        return read.filter(r -> r.key().equals(key)).map(Read::base);
    }
}
