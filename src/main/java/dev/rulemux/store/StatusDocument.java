package dev.rulemux.store;

import dev.rulemux.board.Journal;
import dev.rulemux.board.TaskRecord;
import dev.rulemux.config.AgentSpec;
import dev.rulemux.config.Config;
import dev.rulemux.domain.TaskState;
import dev.rulemux.text.TerminalText;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.regex.Pattern;

/**
 * {@code ORCHESTRATION_STATUS.md} in the config directory: the sections the seeds kept by hand in CLAUDE.md
 * ("Task Assignment Queue", "Task Completion Log", "Current LLM Status", "Inter-LLM Messages"), rendered from
 * the state database so that agents and people can read where the team is without running rulemux.
 *
 * <p>{@link #writeIfChanged} rewrites the file (a temp file moved into place, so a reader never sees half of it)
 * when what it shows changed. It is cheap to call often: one query compares the database's {@link StateStore.Mark}
 * with the one of the last call, and only a changed mark renders the document; the file is written only when its
 * text differs. The commands that change the state ({@code report}, {@code task add|retry|cancel}) call it after
 * their change; a running loop calls it after a tick's changes, at most once a second:
 *
 * <pre>{@code
 * StatusDocument statusDocument = new StatusDocument();     // one per run, it remembers the last mark
 * ...
 * statusDocument.writeIfChanged(store, config);             // after a tick (at most once a second)
 * }</pre>
 *
 * Processes writing at once take turns (a lock file, {@code .rulemux/status.lock}); each renders the database as
 * it is once it holds the lock, so the last one to write leaves the newest state.
 */
public final class StatusDocument {

    public static final String FILE = "ORCHESTRATION_STATUS.md";
    static final String LOCK_FILE = ".rulemux/status.lock";
    /** How many completed or failed tasks, and how many messages, the document shows at most (the newest). */
    static final int LOG_LIMIT = 50;
    static final int MESSAGE_LIMIT = 30;

    /** One JVM's writers take turns here; processes take turns on the lock file. */
    private static final ReentrantLock IN_PROCESS = new ReentrantLock();
    /** How long a writer waits for another to finish before giving up this rewrite. */
    public static final Duration LOCK_WAIT = Duration.ofSeconds(5);

    /** Another writer held the lock longer than this document waits: the file was not rewritten this time. */
    public static final class LockBusy extends UncheckedIOException {
        private static final long serialVersionUID = 1L;

        LockBusy(String message) {
            super(message, new IOException(message));
        }
    }

    private Duration lockWait = LOCK_WAIT;

    private final ZoneId zone;
    private final DateTimeFormatter time;
    private StateStore.Mark lastMark;
    private Path lastFile;
    private List<String> lastDeclared;

    /** Times in the system's time zone. */
    public StatusDocument() {
        this(ZoneId.systemDefault());
    }

    public StatusDocument(ZoneId zone) {
        this.zone = zone;
        this.time = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(zone);
    }

    public ZoneId zone() {
        return zone;
    }

    /** Waits at most {@code wait} for another writer ({@link #LOCK_WAIT} unless set); returns this. */
    public StatusDocument waitingAtMost(Duration wait) {
        this.lockWait = wait;
        return this;
    }

    /** As {@link #writeIfChanged(StateStore, Path, List)}, listing the agents of {@code agents.yaml} too. */
    public boolean writeIfChanged(StateStore store, Config config) {
        return writeIfChanged(store, config.dir(), config.team().agents().stream().map(AgentSpec::name).toList());
    }

    /** As {@link #writeIfChanged(StateStore, Path, List)}, listing only the agents a loop has seen. */
    public boolean writeIfChanged(StateStore store, Path configDir) {
        return writeIfChanged(store, configDir, List.of());
    }

    /**
     * Rewrites {@code <configDir>/ORCHESTRATION_STATUS.md} when what it shows changed.
     *
     * @param declared the agents of {@code agents.yaml}, listed even before a loop has seen them
     * @return true when the file was written
     * @throws UncheckedIOException when the file cannot be written
     */
    @SuppressWarnings("try") // the lock is held by the try block, not used in it
    public synchronized boolean writeIfChanged(StateStore store, Path configDir, List<String> declared) {
        Path file = configDir.resolve(FILE);
        StateStore.Mark mark = store.mark();
        if (mark.equals(lastMark) && file.equals(lastFile) && declared.equals(lastDeclared) && Files.isRegularFile(file)) {
            return false;
        }
        long deadline = System.nanoTime() + lockWait.toNanos();
        boolean ours;
        try {
            ours = IN_PROCESS.tryLock(lockWait.toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LockBusy("interrupted while waiting to rewrite " + file);
        }
        if (!ours) {
            throw busy(file, configDir);
        }
        try (FileChannel channel = FileChannel.open(lockFile(configDir), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
             FileLock held = lock(channel, deadline, file, configDir)) {
            mark = store.mark();
            String text = render(store, declared);
            boolean changed = !same(file, text.getBytes(StandardCharsets.UTF_8));
            if (changed) {
                AtomicFile.write(file, text);
            }
            lastMark = mark;
            lastFile = file;
            lastDeclared = List.copyOf(declared);
            return changed;
        } catch (LockBusy e) {
            throw e;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
        } finally {
            IN_PROCESS.unlock();
        }
    }

    /** The lock file's lock, tried until {@code deadline} (never an unbounded wait on another process). */
    private FileLock lock(FileChannel channel, long deadline, Path file, Path configDir) throws IOException {
        long pause = 5;
        while (true) {
            FileLock lock = channel.tryLock();
            if (lock != null) {
                return lock;
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw busy(file, configDir);
            }
            try {
                TimeUnit.NANOSECONDS.sleep(Math.min(left, TimeUnit.MILLISECONDS.toNanos(pause)));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new LockBusy("interrupted while waiting to rewrite " + file);
            }
            pause = Math.min(100, pause * 2);
        }
    }

    private LockBusy busy(Path file, Path configDir) {
        return new LockBusy(file + " was not rewritten: another process has held " + configDir.resolve(LOCK_FILE)
                + " for more than " + lockWait.toMillis() + " ms (a hung rulemux command?); the next change rewrites it");
    }

    /**
     * Whether {@code file} holds exactly {@code bytes}. Compared as bytes, never decoded: a file someone left with a
     * byte that is not UTF-8 (or made huge) is simply different, and rewritten.
     */
    private static boolean same(Path file, byte[] bytes) throws IOException {
        return Files.isRegularFile(file) && Files.size(file) == bytes.length && Arrays.equals(Files.readAllBytes(file), bytes);
    }

    private static Path lockFile(Path configDir) throws IOException {
        Path lock = configDir.resolve(LOCK_FILE);
        Files.createDirectories(lock.getParent());
        return lock;
    }

    /** The document as it is now. */
    public String render(StateStore store, List<String> declared) {
        List<TaskRecord> records = store.records();
        List<AgentStore.AgentRow> agents = store.agentRows();
        List<Journal.Event> messages = store.lastEvents(MESSAGE_LIMIT, null, Set.of(Journal.Kind.REPORT, Journal.Kind.ALERT));
        List<InboxStore.ReportRow> open = store.openReports();
        StringBuilder out = new StringBuilder();
        out.append("# Orchestration status\n\n");
        out.append("Written by rulemux from its state database (`.rulemux/state.db`) each time the state changes: do not edit,\n")
                .append("edits are overwritten. Live views: `rulemux status`, `rulemux task list`, `rulemux events --follow`.\n");
        long last = records.stream().mapToLong(TaskRecord::updatedAt).max().orElse(0);
        last = Math.max(last, messages.stream().mapToLong(Journal.Event::at).max().orElse(0));
        last = Math.max(last, agents.stream().mapToLong(a -> a.state().updatedAt() > 0 ? a.state().since() : 0).max().orElse(0));
        last = Math.max(last, open.stream().mapToLong(InboxStore.ReportRow::at).max().orElse(0));
        if (last > 0) {
            out.append("Last change: ").append(at(last)).append(" (").append(zone.getId()).append(").\n");
        }
        queue(out, records);
        completions(out, records);
        agents(out, agents, declared);
        messages(out, messages, open);
        return out.toString();
    }

    /**
     * The queue's rows of the last rendering, by record: the store gives the very same record again while its row
     * did not move, so a long queue is not formatted again each time one task moves (a running loop renders after
     * every tick in which something changed).
     */
    private Map<TaskRecord, String> queueRows = new IdentityHashMap<>();

    private synchronized void queue(StringBuilder out, List<TaskRecord> records) {
        out.append("\n## Task Assignment Queue\n\n");
        Map<TaskRecord, String> made = new IdentityHashMap<>();
        List<String> rows = new ArrayList<>();
        for (TaskRecord r : records) {
            TaskState s = r.state();
            if (s == TaskState.PENDING || s.inFlight() || s == TaskState.VERIFYING || s == TaskState.BLOCKED) {
                String row = queueRows.get(r);
                if (row == null) {
                    long since = switch (s) {
                        case PENDING -> r.pendingSince();
                        case ASSIGNED, IN_PROGRESS, VERIFYING -> r.startedAt();
                        default -> r.updatedAt();
                    };
                    String agent = r.agent() != null ? r.agent() : r.preferAgent() != null ? "for " + r.preferAgent() : "";
                    row = row(new String[] {r.id(), r.spec().title(), agent, r.spec().priority().label(),
                            r.spec().complexity().label(), s.name(), at(since)});
                }
                made.put(r, row);
                rows.add(row);
            }
        }
        queueRows = made;
        tableOfRows(out, new String[] {"Task", "Title", "Agent", "Priority", "Complexity", "State", "Since"}, rows,
                "No task is pending or in flight.");
    }

    private void completions(StringBuilder out, List<TaskRecord> records) {
        out.append("\n## Task Completion Log\n\n");
        List<TaskRecord> ended = records.stream().filter(r -> r.state().finished() && r.state() != TaskState.CANCELLED)
                .sorted(Comparator.comparingLong(TaskRecord::finishedAt).thenComparingInt(TaskRecord::order)).toList();
        List<String[]> rows = new ArrayList<>();
        for (TaskRecord r : ended.subList(Math.max(0, ended.size() - LOG_LIMIT), ended.size())) {
            String duration = r.startedAt() > 0 && r.finishedAt() >= r.startedAt()
                    ? human(Duration.ofMillis(r.finishedAt() - r.startedAt())) : "";
            rows.add(new String[] {r.id(), r.state().name(), Objects.toString(r.lastAgent(), ""), at(r.finishedAt()), duration,
                    r.note()});
        }
        table(out, new String[] {"Task", "Outcome", "By", "When", "Duration", "Note"}, rows, "No task has ended yet.");
        if (ended.size() > LOG_LIMIT) {
            out.append("\n").append(ended.size() - LOG_LIMIT).append(" earlier ones are not shown (`rulemux task list --state completed,failed`).\n");
        }
    }

    private void agents(StringBuilder out, List<AgentStore.AgentRow> rows, List<String> declared) {
        out.append("\n## Current LLM Status\n\n");
        Map<String, AgentStore.AgentRow> byName = new LinkedHashMap<>();
        declared.forEach(n -> byName.put(n, null));
        rows.forEach(r -> byName.put(r.state().name(), r));
        List<String[]> lines = new ArrayList<>();
        byName.forEach((name, r) -> {
            if (r == null || r.state().updatedAt() == 0) {
                lines.add(new String[] {name, "UNKNOWN", "", "", "never seen by rulemux run"});
            } else {
                Journal.AgentState a = r.state();
                lines.add(new String[] {name, a.status().name(), Objects.toString(a.task(), ""),
                        a.contextUsed() == null ? "" : a.contextUsed() + "%", at(a.since())});
            }
        });
        table(out, new String[] {"Agent", "Status", "Task", "Context used", "Since"}, lines, "No agent yet.");
    }

    private void messages(StringBuilder out, List<Journal.Event> events, List<InboxStore.ReportRow> open) {
        out.append("\n## Inter-LLM Messages\n\n");
        if (events.isEmpty() && open.isEmpty()) {
            out.append("None yet. Agents report with `rulemux report done|blocked TASK --note TEXT`.\n");
            return;
        }
        for (Journal.Event e : events) {
            out.append("- ").append(at(e.at())).append(' ').append(e.kind() == Journal.Kind.ALERT ? "**alert** " : "")
                    .append(oneLine(e.detail())).append('\n');
        }
        for (InboxStore.ReportRow r : open) {
            out.append("- ").append(at(r.at())).append(' ').append(r.agent() == null ? "a report" : r.agent() + " reports")
                    .append(' ').append(r.task()).append(' ').append(r.outcome().name().toLowerCase(java.util.Locale.ROOT))
                    .append(r.note().isEmpty() ? "" : ": " + oneLine(r.note())).append(" (not yet acted on)\n");
        }
    }

    private static void table(StringBuilder out, String[] header, List<String[]> rows, String none) {
        tableOfRows(out, header, rows.stream().map(StatusDocument::row).toList(), none);
    }

    /** A table of rows already made ({@link #row}). */
    private static void tableOfRows(StringBuilder out, String[] header, List<String> rows, String none) {
        if (rows.isEmpty()) {
            out.append(none).append('\n');
            return;
        }
        out.append("| ").append(String.join(" | ", header)).append(" |\n");
        out.append("|").append(" --- |".repeat(header.length)).append('\n');
        for (String row : rows) {
            out.append(row);
        }
    }

    /** One row of a table, its line feed included. */
    private static String row(String[] cells) {
        StringBuilder out = new StringBuilder().append('|');
        for (String cell : cells) {
            String c = cell(cell);
            out.append(c.isEmpty() ? " |" : " " + c + " |");
        }
        return out.append('\n').toString();
    }

    private static String cell(String text) {
        return oneLine(text).replace("|", "\\|");
    }

    /** A line break with the blanks around it. */
    private static final Pattern BREAK = Pattern.compile("\\s*\\R\\s*");

    private static String oneLine(String text) {
        if (text == null) {
            return "";
        }
        String s = text.strip();
        return TerminalText.line(hasBreak(s) ? BREAK.matcher(s).replaceAll(" ") : s);
    }

    /** Whether {@code s} holds a character {@code \\R} matches (most cells do not: no pattern is run over them). */
    private static boolean hasBreak(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c >= '\n' && c <= '\r' || c == '\u0085' || c == '\u2028' || c == '\u2029') {
                return true;
            }
        }
        return false;
    }

    private String at(long epochMs) {
        return epochMs <= 0 ? "" : time.format(Instant.ofEpochMilli(epochMs));
    }

    /** 45s, 12m 5s, 3h 20m. */
    static String human(Duration d) {
        long s = d.toSeconds();
        if (s < 60) {
            return s + "s";
        }
        if (s < 3600) {
            return s / 60 + "m " + s % 60 + "s";
        }
        return s / 3600 + "h " + s % 3600 / 60 + "m";
    }
}
