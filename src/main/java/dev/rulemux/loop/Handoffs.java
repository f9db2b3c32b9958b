package dev.rulemux.loop;

import dev.rulemux.domain.HandoffNote;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.HashMap;
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

    /** A note is read up to this many bytes. */
    static final int MAX_NOTE_BYTES = 256 * 1024;

    private final Path dir;
    private final Map<String, Asked> asked = new LinkedHashMap<>();
    /** The notes read, by file, with the size and time they had then. */
    private final Map<Path, Read> read = new HashMap<>();

    private record Read(long size, FileTime modified, String text) {
    }

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

    /**
     * The note {@code agent} left on {@code task}, when there is one (a file that is not empty). Read whatever its
     * bytes (those that are not UTF-8 become U+FFFD), up to {@link #MAX_NOTE_BYTES} (then it says it was cut), and
     * read again only when its size or modification time changed.
     */
    public Optional<String> note(String agent, String task) {
        Path file = noteOf(agent, task);
        try {
            BasicFileAttributes attrs = Files.readAttributes(file, BasicFileAttributes.class);
            if (!attrs.isRegularFile() || attrs.size() == 0) {
                return Optional.empty();
            }
            synchronized (read) {
                Read last = read.get(file);
                if (last != null && last.size() == attrs.size() && last.modified().equals(attrs.lastModifiedTime())) {
                    return Optional.of(last.text());
                }
            }
            byte[] head;
            try (InputStream in = Files.newInputStream(file)) {
                head = in.readNBytes(MAX_NOTE_BYTES);
            }
            String text = new String(head, StandardCharsets.UTF_8); // malformed input replaced, never refused
            if (attrs.size() > head.length) {
                text += "\n[the note goes on: " + attrs.size() + " bytes, the first " + head.length + " shown]\n";
            }
            synchronized (read) {
                read.put(file, new Read(attrs.size(), attrs.lastModifiedTime(), text));
            }
            return Optional.of(text);
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** Whether {@code agent} has written its note on {@code task}: a file that is not empty (it is not read). */
    public boolean written(String agent, String task) {
        Path file = noteOf(agent, task);
        try {
            return Files.isRegularFile(file) && Files.size(file) > 0;
        } catch (IOException e) {
            return false;
        }
    }

    public synchronized List<HandoffNote> facts() {
        List<HandoffNote> out = new ArrayList<>();
        asked.forEach((task, a) -> out.add(new HandoffNote(a.agent(), task, a.file().toString(), written(a.agent(), task))));
        return out;
    }

    /** The task was handed over (or is done): its note is no longer awaited. */
    public synchronized void settled(String task) {
        Asked a = asked.remove(task);
        if (a != null) {
            synchronized (read) {
                read.remove(a.file());
            }
        }
    }
}
