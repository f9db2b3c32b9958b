package dev.rulemux.loop;

import dev.rulemux.config.Sources;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Tells when any file a run reads has changed: agents.yaml, tasks.yaml, and rules/, profiles/, prompts/
 * in every layer. It compares names, sizes and modification times (a stat call per file and a listing per
 * folder), at most once per {@code every}: a run ticks four times a second, and an edit need not be taken
 * within a quarter of a second, while an idle run should cost next to nothing.
 */
final class ConfigWatch {

    /** How often a run looks at its files by default. */
    static final Duration EVERY = Duration.ofSeconds(1);

    private final Sources sources;
    private final long everyNanos;
    private List<String> last;
    private long lookedAt;

    ConfigWatch(Sources sources) {
        this(sources, EVERY);
    }

    ConfigWatch(Sources sources, Duration every) {
        this.sources = sources;
        this.everyNanos = every.toNanos();
        this.last = fingerprint();
        this.lookedAt = System.nanoTime();
    }

    /** True once per change (noticed within {@code every} of it). */
    boolean changed() {
        long t = System.nanoTime();
        if (t - lookedAt < everyNanos) {
            return false;
        }
        lookedAt = t;
        List<String> now = fingerprint();
        if (now.equals(last)) {
            return false;
        }
        last = now;
        return true;
    }

    private List<String> fingerprint() {
        List<String> out = new ArrayList<>();
        add(out, sources.configDir().resolve("agents.yaml"));
        add(out, sources.configDir().resolve("tasks.yaml"));
        for (Path layer : sources.layers()) {
            for (String folder : List.of("rules", "profiles", "prompts")) {
                Path dir = layer.resolve(folder);
                if (!Files.isDirectory(dir)) {
                    continue;
                }
                try (Stream<Path> files = Files.list(dir)) {
                    files.sorted().forEach(f -> add(out, f));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        }
        return out;
    }

    private static void add(List<String> out, Path file) {
        try {
            BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
            out.add(a.isRegularFile() ? file + "|" + a.size() + "|" + a.lastModifiedTime().toMillis() : file + "|absent");
        } catch (NoSuchFileException e) {
            out.add(file + "|absent");
        } catch (IOException e) {
            out.add(file + "|unreadable");
        }
    }
}
