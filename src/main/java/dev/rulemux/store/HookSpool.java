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
import java.nio.file.StandardCopyOption;
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
 * The reader keeps the file short: past {@link #ROTATE_AT}, read to its end, it is renamed {@code hooks.log.1}.
 */
public final class HookSpool {

    public static final String FILE = OwnerOnly.STATE_FOLDER + "/hooks.log";
    /** The longest line kept; longer ones (never written by rulemux) are skipped. */
    static final int MAX_LINE = 200;
    /** At most this much of a spool is read at once; a loop starting on a larger spool reads only its tail. */
    static final int MAX_READ = 256 * 1024;

    private static final Pattern AGENT = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]{0,63}");
    private static final Pattern EVENT = Pattern.compile("[A-Za-z][A-Za-z_-]{0,39}");

    /** A spool this long (about 30,000 events) is rotated once it is all read. */
    static final long ROTATE_AT = 1024 * 1024;

    private final Path file;
    private long offset = -1;
    /** The spool just rotated away, still to be read once more from {@link #previousOffset}; null when none. */
    private Path previous;
    private long previousOffset;

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
     * Once the file has grown past {@link #ROTATE_AT} and all of it is read, it is renamed {@code hooks.log.1} (the one
     * before is dropped): the next hook appends to a new {@code hooks.log}. A hook that opened the file just before the
     * rename writes its line to the old one, which is read to its end then and once more at the next call.
     */
    public synchronized List<HookEvent> read(boolean fromStart) throws IOException {
        List<HookEvent> out = new ArrayList<>();
        if (previous != null) {
            previousOffset = readLines(previous, previousOffset, out);
            previous = null;
        }
        if (!Files.isRegularFile(file)) {
            if (offset < 0) {
                offset = 0;
            }
            return out;
        }
        long size = Files.size(file);
        if (offset < 0) {
            offset = fromStart ? 0 : size;
        }
        if (size < offset) {
            offset = 0; // the file was replaced or cut: read it anew
        }
        offset = readLines(file, offset, out);
        if (offset >= ROTATE_AT) {
            rotate(out);
        }
        return out;
    }

    /** Renames the spool, read to its end, to {@code hooks.log.1} and reads what came in between. */
    private void rotate(List<HookEvent> out) throws IOException {
        Path old = rotated();
        Files.move(file, old, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        previous = old;
        previousOffset = readLines(old, offset, out);
        offset = 0;
    }

    /** Where the spool goes once it is {@link #ROTATE_AT} long. */
    public Path rotated() {
        return file.resolveSibling(file.getFileName() + ".1");
    }

    /**
     * Reads the whole lines of {@code f} from {@code from} (at most its last {@link #MAX_READ} bytes) into {@code out};
     * returns the offset after the last whole line.
     */
    private static long readLines(Path f, long from, List<HookEvent> out) throws IOException {
        try (RandomAccessFile raf = new RandomAccessFile(f.toFile(), "r")) {
            long size = raf.length();
            if (size <= from) {
                return Math.min(from, size);
            }
            long start0 = Math.max(from, size - MAX_READ);
            int n = (int) (size - start0);
            byte[] buf = new byte[n];
            raf.seek(start0);
            raf.readFully(buf);
            int start = 0;
            if (start0 > from) {
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
            return start0 + Math.min(start, n);
        } catch (java.io.FileNotFoundException e) {
            return from; // gone meanwhile
        }
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
