package dev.rulemux;

import dev.rulemux.config.Sources;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Test helper: config directories written on the fly, backed by the repository's shipped rules and profiles. */
public final class ConfigDirs {

    /** The repository checkout (tests run with it as the working directory). */
    public static final Path REPO = Path.of("").toAbsolutePath();

    private ConfigDirs() {
    }

    /** Writes {@code text} (leading indentation of a text block kept as is) to {@code dir/name}. */
    public static Path write(Path dir, String name, String text) {
        try {
            Path file = dir.resolve(name);
            Files.createDirectories(file.getParent());
            Files.writeString(file, text, StandardCharsets.UTF_8);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Layers for {@code dir}: itself, then the repository's shipped files. */
    public static Sources sources(Path dir) {
        return Sources.of(dir, List.of(dir, REPO));
    }

    public static final String TWO_SHELLS = """
            session: test
            agents:
              - name: alpha
                profile: shell
                command: bash
                tier: high
                backup: beta
              - name: beta
                profile: shell
                command: [bash, --norc]
                tier: low
            """;
}
