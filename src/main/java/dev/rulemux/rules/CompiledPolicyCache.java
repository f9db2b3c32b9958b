package dev.rulemux.rules;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectOutputStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.drools.base.common.DroolsObjectInputStream;
import org.drools.base.common.DroolsObjectOutputStream;
import org.drools.kiesession.rulebase.InternalKnowledgeBase;
import org.drools.kiesession.rulebase.KnowledgeBaseFactory;
import org.kie.api.KieBase;
import org.kie.api.definition.KiePackage;

/**
 * Compiled policies kept on disk between runs, so that a command does not compile the same DRL twice: the
 * rule packages of a successful build (their compiled consequences included), under the SHA-256 of what
 * they were built from: every DRL file's path and text, the Drools version, and the identity of rulemux's
 * own classes (the jar's size and time, or every class file's under a class directory). Any edit, to a rule
 * or to rulemux, is a new key: a cached policy is never stale. Failed builds are not cached (their errors
 * are reported by compiling). A file that cannot be read back, for whatever reason, is compiled again and
 * replaced.
 *
 * <p>Where: {@code $RULEMUX_CACHE_DIR/policy}, else {@code $XDG_CACHE_HOME/rulemux/policy}, else
 * {@code ~/.cache/rulemux/policy}, made owner-only (a cached policy is code rulemux runs: it must be as
 * private as the rules themselves). {@code RULEMUX_POLICY_CACHE=off} turns it off. The newest
 * {@value #KEEP} are kept.
 */
final class CompiledPolicyCache {

    static final int KEEP = 16;
    private static final String FORMAT = "rulemux-policy-cache/1";
    private static final String SUFFIX = ".kpkg";

    private final Path dir;

    private CompiledPolicyCache(Path dir) {
        this.dir = dir;
    }

    /** A cache in {@code dir}, or none when {@code dir} is null. */
    static Optional<CompiledPolicyCache> in(Path dir) {
        return Optional.ofNullable(dir).map(CompiledPolicyCache::new);
    }

    /** The user's cache (see the class comment), or none when turned off or no home is known. */
    static Optional<CompiledPolicyCache> standard() {
        return in(standardDir(System.getenv()));
    }

    static Path standardDir(Map<String, String> env) {
        String off = env.getOrDefault("RULEMUX_POLICY_CACHE", System.getProperty("rulemux.policy.cache", ""));
        if (off.equalsIgnoreCase("off") || off.equalsIgnoreCase("false") || off.equals("0")) {
            return null;
        }
        String own = env.get("RULEMUX_CACHE_DIR");
        if (own != null && !own.isBlank()) {
            return Path.of(own, "policy");
        }
        String xdg = env.get("XDG_CACHE_HOME");
        if (xdg != null && !xdg.isBlank()) {
            return Path.of(xdg, "rulemux", "policy");
        }
        String home = System.getProperty("user.home");
        return home == null || home.isBlank() ? null : Path.of(home, ".cache", "rulemux", "policy");
    }

    Path dir() {
        return dir;
    }

    /** The key of a build of {@code sources} (build path → DRL text) by this rulemux. */
    static String key(Map<String, String> sources) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            update(sha, FORMAT);
            update(sha, String.valueOf(KieBase.class.getPackage().getImplementationVersion()));
            update(sha, codeIdentity());
            sources.entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e -> {
                update(sha, e.getKey());
                update(sha, e.getValue());
            });
            return HexFormat.of().formatHex(sha.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The rule base cached under {@code key}, or empty (none, or unreadable: it is removed). */
    Optional<KieBase> load(String key) {
        Path file = dir.resolve(key + SUFFIX);
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        try {
            byte[] bytes = Files.readAllBytes(file);
            Collection<KiePackage> packages = new ArrayList<>();
            try (DroolsObjectInputStream in = new DroolsObjectInputStream(new ByteArrayInputStream(bytes),
                    CompiledPolicyCache.class.getClassLoader())) {
                int count = in.readInt();
                for (int i = 0; i < count; i++) {
                    packages.add((KiePackage) in.readObject());
                }
            }
            InternalKnowledgeBase base = KnowledgeBaseFactory.newKnowledgeBase();
            base.addPackages(packages);
            touch(file);
            return Optional.of(base);
        } catch (IOException | ClassNotFoundException | RuntimeException | LinkageError e) {
            try {
                Files.deleteIfExists(file);
            } catch (IOException ignored) {
                // compiled again and rewritten below
            }
            return Optional.empty();
        }
    }

    /** Keeps {@code base} under {@code key}; a cache that cannot be written is simply not used. */
    void store(String key, KieBase base) {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream(1 << 20);
            try (ObjectOutputStream out = new DroolsObjectOutputStream(bytes)) {
                Collection<KiePackage> packages = base.getKiePackages();
                out.writeInt(packages.size());
                for (KiePackage p : packages) {
                    out.writeObject(p);
                }
            }
            ensurePrivateDir();
            Path tmp = Files.createTempFile(dir, key, ".tmp");
            Files.write(tmp, bytes.toByteArray());
            try {
                Files.move(tmp, dir.resolve(key + SUFFIX), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, dir.resolve(key + SUFFIX), StandardCopyOption.REPLACE_EXISTING);
            }
            prune();
        } catch (IOException | RuntimeException e) {
            // a read-only home, a full disk: the policy was compiled, the next command compiles again
        }
    }

    private void ensurePrivateDir() throws IOException {
        Files.createDirectories(dir);
        try {
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
        } catch (UnsupportedOperationException ignored) {
            // not a POSIX file system
        }
    }

    private void prune() throws IOException {
        List<Path> cached;
        try (Stream<Path> files = Files.list(dir)) {
            cached = files.filter(p -> p.getFileName().toString().endsWith(SUFFIX))
                    .sorted(Comparator.comparing(CompiledPolicyCache::modified).reversed())
                    .toList();
        }
        for (Path old : cached.subList(Math.min(KEEP, cached.size()), cached.size())) {
            Files.deleteIfExists(old);
        }
    }

    private static long modified(Path p) {
        try {
            return Files.getLastModifiedTime(p).toMillis();
        } catch (IOException e) {
            return 0;
        }
    }

    private static void touch(Path file) {
        try {
            Files.setLastModifiedTime(file, java.nio.file.attribute.FileTime.fromMillis(System.currentTimeMillis()));
        } catch (IOException ignored) {
            // only the pruning order suffers
        }
    }

    private static void update(MessageDigest sha, String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        sha.update((byte) (b.length >>> 24));
        sha.update((byte) (b.length >>> 16));
        sha.update((byte) (b.length >>> 8));
        sha.update((byte) b.length);
        sha.update(b);
    }

    private static volatile String codeIdentity;

    /**
     * What identifies rulemux's own classes (the facts the rules are compiled against): the jar's path, size
     * and time; or, run from a class directory (tests, an IDE), every class file's path, size and time.
     */
    static String codeIdentity() {
        String id = codeIdentity;
        if (id != null) {
            return id;
        }
        StringBuilder out = new StringBuilder();
        try {
            Path where = Path.of(CompiledPolicyCache.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            if (Files.isDirectory(where)) {
                try (Stream<Path> files = Files.walk(where)) {
                    files.filter(p -> p.toString().endsWith(".class")).sorted().forEach(p -> out.append(where.relativize(p))
                            .append(' ').append(size(p)).append(' ').append(modified(p)).append('\n'));
                }
            } else {
                out.append(where).append(' ').append(size(where)).append(' ').append(modified(where));
            }
        } catch (IOException | URISyntaxException | RuntimeException e) {
            out.append("unknown ").append(System.nanoTime()); // never matches: no cache hit this run
        }
        codeIdentity = out.toString();
        return codeIdentity;
    }

    private static long size(Path p) {
        try {
            return Files.size(p);
        } catch (IOException e) {
            return -1;
        }
    }
}
