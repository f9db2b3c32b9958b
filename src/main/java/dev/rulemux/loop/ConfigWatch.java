package dev.rulemux.loop;

import dev.rulemux.config.Sources;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Tells when any file a run reads has changed: agents.yaml, tasks.yaml, and rules/, profiles/, prompts/
 * in every layer. It compares names, sizes and modification times, which costs a few stat calls a tick.
 */
final class ConfigWatch {

    private final Sources sources;
    private List<String> last;

    ConfigWatch(Sources sources) {
        this.sources = sources;
        this.last = fingerprint();
    }

    /** True once per change. */
    boolean changed() {
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
            if (Files.isRegularFile(file)) {
                out.add(file + "|" + Files.size(file) + "|" + Files.getLastModifiedTime(file).toInstant());
            } else {
                out.add(file + "|absent");
            }
        } catch (IOException e) {
            out.add(file + "|unreadable");
        }
    }
}
