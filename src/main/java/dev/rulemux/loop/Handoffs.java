package dev.rulemux.loop;

import dev.rulemux.domain.HandoffNote;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The handoff notes agents were asked to write ({@code handoff/<agent>-<task>.md} under the config directory),
 * and whether each is there yet.
 */
public final class Handoffs {

    private record Asked(String agent, Path file) {
    }

    private final Path dir;
    private final Map<String, Asked> asked = new LinkedHashMap<>();

    public Handoffs(Path configDir) {
        this.dir = configDir.resolve("handoff");
    }

    /** Where {@code agent}'s note on {@code task} goes. */
    public Path noteOf(String agent, String task) {
        return dir.resolve(agent + "-" + task + ".md").toAbsolutePath();
    }

    /** {@code agent} was asked to write its note on {@code task}. */
    public synchronized Path asked(String agent, String task) {
        Path file = noteOf(agent, task);
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("cannot make " + dir, e);
        }
        asked.put(task, new Asked(agent, file));
        return file;
    }

    /** The note {@code agent} left on {@code task}, when there is one. */
    public Optional<String> note(String agent, String task) {
        Path file = noteOf(agent, task);
        try {
            return Files.isRegularFile(file) && Files.size(file) > 0 ? Optional.of(Files.readString(file)) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    public synchronized List<HandoffNote> facts() {
        List<HandoffNote> out = new ArrayList<>();
        asked.forEach((task, a) -> out.add(new HandoffNote(a.agent(), task, a.file().toString(), note(a.agent(), task).isPresent())));
        return out;
    }

    /** The task was handed over (or is done): its note is no longer awaited. */
    public synchronized void settled(String task) {
        asked.remove(task);
    }
}
