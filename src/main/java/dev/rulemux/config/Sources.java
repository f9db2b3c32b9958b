package dev.rulemux.config;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.FileSystem;
import java.nio.file.FileSystemAlreadyExistsException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Where {@code rules/}, {@code profiles/} and {@code prompts/} files come from. Layers are searched in
 * order: the config directory, then rulemux's home (the checkout the launcher runs from, so that edits
 * to its shipped files are live), then the copies bundled in the jar. A file in an earlier layer
 * overrides the file of the same name in a later one.
 */
public final class Sources {

    /** A file found in some layer. {@code shipped} is true when it comes from rulemux itself, not the config directory. */
    public record Found(String name, Path path, boolean shipped) {
    }

    private final List<Path> layers;
    private final Path configDir;

    private Sources(Path configDir, List<Path> layers) {
        this.configDir = configDir;
        this.layers = List.copyOf(layers);
    }

    /** The usual layers for a config directory: it, the rulemux home (if known), the jar's bundled files. */
    public static Sources forConfigDir(Path configDir) {
        List<Path> layers = new ArrayList<>();
        Path config = configDir.toAbsolutePath().normalize();
        layers.add(config);
        home().filter(h -> !h.equals(config)).ifPresent(layers::add);
        bundled().ifPresent(layers::add);
        return new Sources(config, layers);
    }

    /** Exactly these layers, in order (for tests). */
    public static Sources of(Path configDir, List<Path> layers) {
        return new Sources(configDir.toAbsolutePath().normalize(), layers);
    }

    public Path configDir() {
        return configDir;
    }

    public List<Path> layers() {
        return layers;
    }

    /** The file {@code folder/name} from the first layer that has it. */
    public Optional<Found> find(String folder, String name) {
        for (Path layer : layers) {
            Path candidate = layer.resolve(folder).resolve(name);
            if (Files.isRegularFile(candidate)) {
                return Optional.of(new Found(name, candidate, !layer.equals(configDir)));
            }
        }
        return Optional.empty();
    }

    /** Every file in {@code folder} ending with {@code suffix}, one per name (earlier layers win), sorted by name. */
    public List<Found> list(String folder, String suffix) {
        Map<String, Found> byName = new TreeMap<>();
        for (Path layer : layers) {
            Path dir = layer.resolve(folder);
            if (!Files.isDirectory(dir)) {
                continue;
            }
            try (Stream<Path> files = Files.list(dir)) {
                files.filter(Files::isRegularFile)
                        .filter(p -> p.getFileName().toString().endsWith(suffix))
                        .forEach(p -> byName.putIfAbsent(p.getFileName().toString(),
                                new Found(p.getFileName().toString(), p, !layer.equals(configDir))));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot list " + dir, e);
            }
        }
        return List.copyOf(byName.values());
    }

    /** All layers' copies of {@code folder/name}, most specific first (used to merge {@code policy.yaml}). */
    public List<Found> all(String folder, String name) {
        List<Found> out = new ArrayList<>();
        for (Path layer : layers) {
            Path candidate = layer.resolve(folder).resolve(name);
            if (Files.isRegularFile(candidate)) {
                out.add(new Found(name, candidate, !layer.equals(configDir)));
            }
        }
        return out;
    }

    private static Optional<Path> home() {
        String home = System.getProperty("rulemux.home", System.getenv("RULEMUX_HOME"));
        if (home == null || home.isBlank()) {
            return Optional.empty();
        }
        Path dir = Path.of(home).toAbsolutePath().normalize();
        return Files.isDirectory(dir.resolve("rules")) ? Optional.of(dir) : Optional.empty();
    }

    /** The {@code shipped/} folder bundled in the jar (or in target/classes when run from the build). */
    private static Optional<Path> bundled() {
        URL marker = Sources.class.getResource("/shipped/rules");
        if (marker == null) {
            return Optional.empty();
        }
        try {
            URI uri = marker.toURI();
            if ("jar".equals(uri.getScheme())) {
                FileSystem fs;
                try {
                    fs = FileSystems.newFileSystem(uri, Map.of());
                } catch (FileSystemAlreadyExistsException e) {
                    fs = FileSystems.getFileSystem(uri);
                }
                return Optional.of(fs.getPath("/shipped"));
            }
            return Optional.of(Path.of(uri).getParent());
        } catch (URISyntaxException | IOException e) {
            return Optional.empty();
        }
    }
}
