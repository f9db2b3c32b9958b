package dev.rulemux.store;

import dev.rulemux.domain.HookEvent;
import dev.rulemux.domain.HookKind;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The agents' hook events on their way to the loop: {@code .rulemux/hooks.log} in the config directory, owner-only,
 * one line per event, appended by {@code rulemux hook EVENT} (the launcher's fast path appends the same line without
 * starting a JVM) and read by the loop at every tick. A line is {@code <epoch ms> <agent> <event>}; one short line is
 * one {@code write} with {@code O_APPEND}, so concurrent hooks never interleave. A line that does not parse is skipped.
 */
public final class HookSpool {

    public static final String FILE = OwnerOnly.STATE_FOLDER + "/hooks.log";
    /** The longest line kept; longer ones (never written by rulemux) are skipped. */
    static final int MAX_LINE = 200;
    /** At most this much of a spool is read at once; a loop starting on a larger spool reads only its tail. */
    static final int MAX_READ = 256 * 1024;

    private static final Pattern AGENT = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]{0,63}");
    private static final Pattern EVENT = Pattern.compile("[A-Za-z][A-Za-z_-]{0,39}");

    private final Path file;
    private long offset = -1;

    private HookSpool(Path file) {
        this.file = file;
    }

    /** The spool of the team whose config directory is {@code configDir}. */
    public static HookSpool of(Path configDir) {
        return new HookSpool(configDir.resolve(FILE));
    }

    public Path file() {
        return file;
    }

    /** Whether {@code agent} and {@code event} may be written to a spool line as they are. */
    public static boolean valid(String agent, String event) {
        return agent != null && event != null && AGENT.matcher(agent).matches() && EVENT.matcher(event).matches();
    }

    /**
     * Appends one event (making the file owner-only when it is new); the state folder must exist (a team rulemux never
     * ran has no loop to read it).
     *
     * @throws IllegalArgumentException when the agent or event name is not {@link #valid}
     * @throws IOException              when the state folder is missing or the file cannot be written
     */
    public void append(String agent, String event, long atMs) throws IOException {
        if (!valid(agent, event)) {
            throw new IllegalArgumentException("not a hook event: agent \"" + agent + "\", event \"" + event + "\"");
        }
        if (!Files.isDirectory(file.getParent())) {
            throw new IOException("no state folder " + file.getParent() + " (has rulemux run on this team?)");
        }
        byte[] line = (atMs + " " + agent + " " + event + "\n").getBytes(StandardCharsets.US_ASCII);
        try (FileChannel ch = FileChannel.open(file, java.util.Set.of(StandardOpenOption.CREATE, StandardOpenOption.APPEND,
                StandardOpenOption.WRITE), PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")))) {
            ch.write(ByteBuffer.wrap(line));
        }
    }

    /**
     * The events appended since the last call, oldest first. The first call starts at the end of the file as it is then
     * (what an earlier run left there is history) unless {@code fromStart}; a partial last line waits for the next call.
     */
    public synchronized List<HookEvent> read(boolean fromStart) throws IOException {
        if (!Files.isRegularFile(file)) {
            if (offset < 0) {
                offset = 0;
            }
            return List.of();
        }
        List<HookEvent> out = new ArrayList<>();
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "r")) {
            long size = f.length();
            if (offset < 0) {
                offset = fromStart ? 0 : size;
            }
            if (size < offset) {
                offset = 0; // the file was replaced or cut: read it anew
            }
            long from = Math.max(offset, size - MAX_READ);
            int n = (int) (size - from);
            if (n == 0) {
                return out;
            }
            byte[] buf = new byte[n];
            f.seek(from);
            f.readFully(buf);
            int start = 0;
            if (from > offset) {
                // skipped ahead: start at the first whole line
                while (start < n && buf[start] != '\n') {
                    start++;
                }
                start++;
            }
            for (int i = start; i < n; i++) {
                if (buf[i] == '\n') {
                    parse(new String(buf, start, i - start, StandardCharsets.US_ASCII)).ifPresent(out::add);
                    start = i + 1;
                }
            }
            offset = from + start;
        }
        return out;
    }

    /**
     * Whether the file changed since the last {@link #read} (one stat, nothing read): for a loop that wakes as soon as
     * an agent's CLI reports an event instead of at its next tick. False before the first read.
     */
    public synchronized boolean unread() {
        if (offset < 0) {
            return false;
        }
        try {
            return Files.size(file) != offset;
        } catch (IOException e) {
            return false; // no file yet
        }
    }

    /** A spool line as an event; empty when it is not one rulemux wrote, or of an event it does not know. */
    static Optional<HookEvent> parse(String line) {
        if (line.length() > MAX_LINE) {
            return Optional.empty();
        }
        String[] parts = line.split(" ", -1);
        if (parts.length != 3 || !valid(parts[1], parts[2]) || !parts[0].matches("\\d{1,15}")) {
            return Optional.empty();
        }
        String event = parts[2];
        return HookKind.ofEvent(event).map(kind -> new HookEvent(parts[1], kind, event, Long.parseLong(parts[0])));
    }
}
