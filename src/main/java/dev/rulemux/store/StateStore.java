package dev.rulemux.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rulemux.board.Journal;
import dev.rulemux.board.TaskBoard;
import dev.rulemux.board.TaskRecord;
import dev.rulemux.board.TaskRecords;
import dev.rulemux.config.TaskSpec;
import dev.rulemux.domain.Priority;
import dev.rulemux.domain.Report;
import dev.rulemux.domain.ReportOutcome;
import dev.rulemux.domain.Status;
import dev.rulemux.domain.Task;
import dev.rulemux.domain.TaskState;
import dev.rulemux.domain.Tier;
import dev.rulemux.domain.Verification;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteErrorCode;
import org.sqlite.SQLiteException;

/**
 * The state database ({@code .rulemux/state.db}): the task board and the journal of a config directory,
 * shared by every rulemux process working on it. Each change is one immediate transaction (SQLite's WAL lets
 * readers go on meanwhile; a busy writer is waited for up to {@link #BUSY_TIMEOUT_MS}); {@code synchronous=FULL}
 * makes a committed change survive a power loss, and a change cut short leaves the previous state.
 */
public final class StateStore implements TaskBoard, Journal {

    public static final String FILE = ".rulemux/state.db";
    static final int BUSY_TIMEOUT_MS = 15_000;
    private static final byte[] SQLITE_HEADER = "SQLite format 3\0".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path file;
    private final Connection db;
    /** Task rows written through this store (inserted, updated, or a transaction that wrote them undone). */
    private long tasksWritten;
    /** The task rows last read, and the store's state when they were: given again while nothing changed. */
    private List<TaskRecord> recordsRead;
    private Map<String, TaskRecord> byId;
    private long maxRev;
    private long maxSeq;
    private long recordsVersion;
    private long recordsWritten;

    private StateStore(Path file, Connection db) {
        this.file = file;
        this.db = db;
    }

    /** The state database of {@code configDir}, made (with its folder) when missing. */
    public static StateStore open(Path configDir) {
        return openFile(configDir.resolve(FILE));
    }

    /**
     * Opens {@code file}, making it when missing; migrates an older schema. A file that is not a SQLite
     * database, a database that is not rulemux's, a newer schema or a corrupt file is refused, untouched.
     */
    public static StateStore openFile(Path file) {
        boolean existing;
        try {
            OwnerOnly.directories(file.toAbsolutePath().getParent());
            existing = Files.exists(file) && Files.size(file) > 0;
            if (existing) {
                checkHeader(file);
            }
        } catch (IOException e) {
            throw new StoreException("cannot read " + file + ": " + e.getMessage(), e);
        }
        if (existing) {
            inspect(file);
        }
        OwnerOnly.database(file);
        SQLiteConfig cfg = new SQLiteConfig();
        cfg.setJournalMode(SQLiteConfig.JournalMode.WAL);
        cfg.setSynchronous(SQLiteConfig.SynchronousMode.FULL);
        cfg.setBusyTimeout(BUSY_TIMEOUT_MS);
        cfg.setTransactionMode(SQLiteConfig.TransactionMode.IMMEDIATE);
        cfg.enforceForeignKeys(true);
        Connection db = connect(cfg, file);
        StateStore store = new StateStore(file, db);
        try {
            store.migrate();
        } catch (SQLException e) {
            store.close();
            throw refused(file, e);
        } catch (RuntimeException e) {
            store.close();
            throw e;
        }
        return store;
    }

    private static Connection connect(SQLiteConfig cfg, Path file) {
        try {
            return cfg.createConnection("jdbc:sqlite:" + file.toAbsolutePath());
        } catch (SQLException e) {
            throw refused(file, e);
        }
    }

    /**
     * The state database of {@code configDir}, opened read-only (for the commands that only show it: status, serve,
     * watch): nothing is made, migrated or written. Empty when there is no state yet.
     *
     * @throws StoreException when the file is not rulemux's state, is corrupt, or is of an older schema (which a
     *                        writing command, such as rulemux run, migrates first) or a newer one
     */
    public static Optional<StateStore> openReadOnly(Path configDir) {
        Path file = configDir.resolve(FILE);
        try {
            if (!Files.isRegularFile(file) || Files.size(file) == 0) {
                return Optional.empty();
            }
            checkHeader(file);
        } catch (IOException e) {
            throw new StoreException("cannot read " + file + ": " + e.getMessage(), e);
        }
        inspect(file);
        SQLiteConfig cfg = new SQLiteConfig();
        cfg.setReadOnly(true);
        cfg.setBusyTimeout(BUSY_TIMEOUT_MS);
        Connection db = connect(cfg, file);
        StateStore store = new StateStore(file, db);
        try {
            int version = check(db, file);
            if (version < Schema.latest()) {
                throw new StoreException(file + " is of an older schema (" + version + ", this rulemux reads " + Schema.latest()
                        + "), and this command only reads it: run rulemux run (or any command that changes the state, such "
                        + "as rulemux task add) once to migrate it");
            }
        } catch (SQLException e) {
            store.close();
            throw refused(file, e);
        } catch (RuntimeException e) {
            store.close();
            throw e;
        }
        return Optional.of(store);
    }

    private static void checkHeader(Path file) throws IOException {
        byte[] head = new byte[SQLITE_HEADER.length];
        try (InputStream in = Files.newInputStream(file)) {
            int n = in.readNBytes(head, 0, head.length);
            if (n < head.length || !Arrays.equals(head, SQLITE_HEADER)) {
                throw new StoreException(file + " is not a SQLite database, so not rulemux's state: rulemux will not "
                        + "overwrite it; move it away (rulemux then starts a fresh state) or restore the right file");
            }
        }
    }

    /**
     * Checks, through a read-only connection, that an existing file is rulemux's state, of a schema this rulemux
     * knows, and whole: a file refused here has not been written to (the writing connection would switch it to WAL
     * first, changing its header).
     */
    private static void inspect(Path file) {
        SQLiteConfig cfg = new SQLiteConfig();
        cfg.setReadOnly(true);
        cfg.setBusyTimeout(BUSY_TIMEOUT_MS);
        try (Connection c = cfg.createConnection("jdbc:sqlite:" + file.toAbsolutePath())) {
            check(c, file);
            try (Statement s = c.createStatement(); ResultSet r = s.executeQuery("PRAGMA quick_check")) {
                String result = r.next() ? r.getString(1) : "?";
                if (!"ok".equals(result)) {
                    throw new StoreException(file + " is corrupt (" + result.replace('\n', ' ') + "): rulemux will not reset it; "
                            + "restore a backup, or move it away to start a fresh state");
                }
            }
        } catch (SQLException e) {
            throw refused(file, e);
        }
    }

    /** Refuses a database that is not rulemux's, or of a newer schema; returns its schema version. */
    private static int check(Connection c, Path file) throws SQLException {
        int appId = intPragma(c, "application_id");
        int version = intPragma(c, "user_version");
        boolean empty = tableCount(c) == 0;
        if (appId != Schema.APPLICATION_ID && !(appId == 0 && empty)) {
            throw new StoreException(file + " is a SQLite database, but not rulemux's state (application_id " + appId
                    + "): rulemux will not touch it; move it away, or point --config at the right directory");
        }
        if (version > Schema.latest()) {
            throw new StoreException(file + " was written by a newer rulemux (schema " + version + ", this one knows up to "
                    + Schema.latest() + "): upgrade rulemux");
        }
        return version;
    }

    private static StoreException refused(Path file, SQLException e) {
        if (e instanceof SQLiteException s && (s.getResultCode() == SQLiteErrorCode.SQLITE_NOTADB
                || s.getResultCode() == SQLiteErrorCode.SQLITE_CORRUPT)) {
            return new StoreException(file + " is corrupt (" + s.getResultCode().message + "): rulemux will not reset it; "
                    + "restore a backup, or move it away to start a fresh state", e);
        }
        return new StoreException("cannot use " + file + ": " + e.getMessage(), e);
    }

    /**
     * Migrates the database to the latest schema, in one immediate transaction: the version is read again once the
     * write lock is held, so processes opening a fresh file at once migrate it once.
     */
    private void migrate() throws SQLException {
        if (check(db, file) == Schema.latest()) {
            return;
        }
        exec("BEGIN IMMEDIATE"); // the write lock is held from here
        try (Statement s = db.createStatement()) {
            int version = check(db, file);
            for (int v = version; v < Schema.latest(); v++) {
                for (String sql : Schema.MIGRATIONS.get(v)) {
                    s.execute(sql);
                }
            }
            s.execute("PRAGMA application_id = " + Schema.APPLICATION_ID);
            s.execute("PRAGMA user_version = " + Schema.latest());
            s.execute("COMMIT");
        } catch (SQLException | RuntimeException e) {
            try {
                exec("ROLLBACK");
            } catch (SQLException alreadyEnded) {
                // nothing to undo
            }
            throw e;
        }
    }

    private int intPragma(String name) throws SQLException {
        return intPragma(db, name);
    }

    private static int intPragma(Connection c, String name) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet r = s.executeQuery("PRAGMA " + name)) {
            return r.next() ? r.getInt(1) : 0;
        }
    }

    private static int tableCount(Connection c) throws SQLException {
        try (Statement s = c.createStatement();
             ResultSet r = s.executeQuery("SELECT count(*) FROM sqlite_master WHERE type = 'table'")) {
            return r.next() ? r.getInt(1) : 0;
        }
    }

    public Path file() {
        return file;
    }

    /**
     * How long a change waits for another process's write lock before it fails with a {@link StoreException#isTransient
     * transient} error ({@link #BUSY_TIMEOUT_MS} unless set): the run loop waits briefly and keeps its changes for later
     * rather than stall a tick.
     */
    public synchronized void busyTimeout(java.time.Duration timeout) {
        call(() -> {
            try (Statement s = db.createStatement()) {
                s.execute("PRAGMA busy_timeout = " + timeout.toMillis());
            }
            return null;
        });
    }

    /**
     * This store as the run loop uses it: a change waits at most {@link dev.rulemux.board.ResilientBoard#BUSY_TIMEOUT}
     * for another process's lock, and transient errors (busy, locked, disk full, I/O) are outlasted, not fatal.
     */
    public dev.rulemux.board.ResilientBoard resilient() {
        busyTimeout(dev.rulemux.board.ResilientBoard.BUSY_TIMEOUT);
        return new dev.rulemux.board.ResilientBoard(this, this, StoreException::isTransient);
    }

    /** The schema version of the open database. */
    public synchronized int schemaVersion() {
        return call(() -> intPragma("user_version"));
    }

    // ------------------------------------------------------------------------------------------ tasks

    @Override
    public synchronized List<Task> tasks(long now) {
        return TaskRecords.facts(records(), now);
    }

    @Override
    public synchronized List<TaskRecord> records() {
        return call(() -> {
            // Read only what may have changed: nothing while no task row was written through this store and no other
            // connection committed (a `task add`, a `report`); else the rows whose revision is above the last one
            // read. Reading all 10,000 rows of a big queue costs ~100 ms; a tick asks twice.
            long version = intPragma("data_version");
            if (recordsRead != null && version == recordsVersion && tasksWritten == recordsWritten) {
                return recordsRead;
            }
            long written = tasksWritten;
            if (byId == null || !readMoved()) {
                readAll();
            }
            recordsRead = List.copyOf(byId.values());
            recordsVersion = version;
            recordsWritten = written;
            return recordsRead;
        });
    }

    private void readAll() throws SQLException {
        byId = new LinkedHashMap<>();
        maxRev = 0;
        maxSeq = -1;
        try (Statement s = db.createStatement(); ResultSet r = s.executeQuery("SELECT * FROM tasks ORDER BY seq")) {
            while (r.next()) {
                TaskRecord t = read(r);
                byId.put(t.id(), t);
                maxSeq = t.order();
                maxRev = Math.max(maxRev, r.getLong("rev"));
            }
        }
    }

    /** Takes the rows written since the last read into {@link #byId}; false when they cannot be (a new row out of order). */
    private boolean readMoved() throws SQLException {
        try (PreparedStatement p = db.prepareStatement("SELECT * FROM tasks WHERE rev > ? ORDER BY seq")) {
            p.setLong(1, maxRev);
            try (ResultSet r = p.executeQuery()) {
                while (r.next()) {
                    TaskRecord t = read(r);
                    boolean known = byId.containsKey(t.id());
                    if (!known && t.order() <= maxSeq) {
                        return false;
                    }
                    byId.put(t.id(), t);
                    if (!known) {
                        maxSeq = t.order();
                    }
                    maxRev = Math.max(maxRev, r.getLong("rev"));
                }
            }
        }
        return true;
    }

    @Override
    public synchronized Optional<TaskRecord> record(String id) {
        return call(() -> find(id));
    }

    private Optional<TaskRecord> find(String id) throws SQLException {
        try (PreparedStatement p = db.prepareStatement("SELECT * FROM tasks WHERE id = ?")) {
            p.setString(1, id);
            try (ResultSet r = p.executeQuery()) {
                return r.next() ? Optional.of(read(r)) : Optional.empty();
            }
        }
    }

    @Override
    public synchronized void declare(List<TaskSpec> specs) {
        long now = System.currentTimeMillis();
        write(() -> {
            int next = nextSeq();
            for (TaskSpec spec : specs) {
                Optional<TaskRecord> old = find(spec.id());
                if (old.isEmpty()) {
                    insert(TaskRecords.declared(spec, "tasks.yaml", next++, now));
                    event(Kind.INFO, null, spec.id(), "declared " + spec.id() + " (tasks.yaml)", now);
                } else {
                    Optional<TaskRecord> updated = TaskRecords.redeclared(old.get(), spec, now);
                    if (updated.isPresent()) {
                        update(updated.get());
                        event(Kind.INFO, null, spec.id(), "updated " + spec.id() + " from tasks.yaml", now);
                    }
                }
            }
            return null;
        });
    }

    @Override
    public synchronized boolean add(TaskSpec spec, String source) {
        long now = System.currentTimeMillis();
        return write(() -> {
            if (find(spec.id()).isPresent()) {
                return false;
            }
            insert(TaskRecords.declared(spec, source, nextSeq(), now));
            event(Kind.INFO, null, spec.id(), "added " + spec.id() + " (" + source + "): " + spec.title(), now);
            return true;
        });
    }

    /**
     * Adds {@code specs} as one change: all of them, or none when an id is taken.
     *
     * @return the ids already taken (nothing was added), or an empty list (all were added)
     */
    public synchronized List<String> addAll(List<TaskSpec> specs, String source) {
        long now = System.currentTimeMillis();
        return write(() -> {
            List<String> taken = new ArrayList<>();
            for (TaskSpec spec : specs) {
                if (find(spec.id()).isPresent()) {
                    taken.add(spec.id());
                }
            }
            if (!taken.isEmpty()) {
                return taken;
            }
            int next = nextSeq();
            for (TaskSpec spec : specs) {
                insert(TaskRecords.declared(spec, source, next++, now));
                event(Kind.INFO, null, spec.id(), "added " + spec.id() + " (" + source + "): " + spec.title(), now);
            }
            return taken;
        });
    }

    @Override
    public boolean move(String task, TaskState to, String agent, String reason) {
        return change(task, r -> TaskRecords.moved(r, to, agent, reason, System.currentTimeMillis()).orElse(null));
    }

    @Override
    public boolean handTo(String task, String agent, String reason) {
        return change(task, r -> TaskRecords.handedTo(r, agent, reason, System.currentTimeMillis()).orElse(null));
    }

    /**
     * As {@link TaskBoard#retry}; the task's verification results go too: its attempts start again from 1, and a
     * result of an earlier round must not pass for the new round's.
     */
    @Override
    public synchronized boolean retry(String task, String reason) {
        return write(() -> {
            Optional<TaskRecord> n = find(task).flatMap(r -> TaskRecords.retried(r, reason, System.currentTimeMillis()));
            if (n.isEmpty()) {
                return false;
            }
            update(n.get());
            try (PreparedStatement p = db.prepareStatement("DELETE FROM verifications WHERE task = ?")) {
                p.setString(1, task);
                p.executeUpdate();
            }
            return true;
        });
    }

    @Override
    public synchronized boolean delivered(String task, String agent, long at, String finishedLineBefore) {
        return write(() -> {
            Optional<TaskRecord> r = find(task);
            Optional<TaskRecord> n = r.flatMap(x -> TaskRecords.delivered(x, agent, at, finishedLineBefore));
            if (n.isEmpty()) {
                return false;
            }
            update(n.get());
            counter(agent, "prompts_sent");
            return true;
        });
    }

    @Override
    public synchronized void enterPressed(String task, long at) {
        write(() -> {
            Optional<TaskRecord> n = find(task).flatMap(r -> TaskRecords.enterPressed(r, at));
            if (n.isPresent()) {
                update(n.get());
                counter(n.get().agent(), "enter_presses");
            }
            return null;
        });
    }

    @Override
    public void seenWorking(String task) {
        change(task, r -> TaskRecords.seenWorking(r, System.currentTimeMillis()).orElse(null));
    }

    private synchronized boolean change(String task, UnaryOperator<TaskRecord> how) {
        return write(() -> {
            Optional<TaskRecord> r = find(task);
            if (r.isEmpty()) {
                return false;
            }
            TaskRecord n = how.apply(r.get());
            if (n == null) {
                return false;
            }
            update(n);
            if (n.state() == TaskState.COMPLETED && r.get().state() != TaskState.COMPLETED && n.lastAgent() != null) {
                counter(n.lastAgent(), "tasks_completed");
            }
            return true;
        });
    }

    private int nextSeq() throws SQLException {
        try (Statement s = db.createStatement(); ResultSet r = s.executeQuery("SELECT coalesce(max(seq), -1) + 1 FROM tasks")) {
            return r.next() ? r.getInt(1) : 0;
        }
    }

    private static final String COLUMNS = "id, seq, title, complexity, priority, prompt, prompt_file, depends_on, verify, files, "
            + "max_attempts, line, source, state, agent, last_agent, prefer_agent, attempts, created_at, updated_at, "
            + "pending_since, started_at, finished_at, note, last_output, d_agent, d_at, d_presses, d_keys_at, "
            + "d_seen_working, d_finished_line";

    /** A task row's next revision: above every other (the write lock is held, so no other writer takes it). */
    private static final String NEXT_REV = "(SELECT coalesce(max(rev), 0) + 1 FROM tasks)";

    private void insert(TaskRecord t) throws SQLException {
        tasksWritten++;
        try (PreparedStatement p = db.prepareStatement("INSERT INTO tasks (" + COLUMNS + ", rev) VALUES ("
                + "?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?, " + NEXT_REV + ")")) {
            bind(p, t);
            p.executeUpdate();
        }
    }

    private void update(TaskRecord t) throws SQLException {
        tasksWritten++;
        String set = Arrays.stream(COLUMNS.split(", ")).skip(1).map(c -> c + " = ?")
                .reduce((a, b) -> a + ", " + b).orElseThrow();
        try (PreparedStatement p = db.prepareStatement("UPDATE tasks SET " + set + ", rev = " + NEXT_REV + " WHERE id = ?")) {
            int last = bind(p, t, 1);
            p.setString(last, t.id());
            p.executeUpdate();
        }
    }

    private void bind(PreparedStatement p, TaskRecord t) throws SQLException {
        p.setString(1, t.id());
        bind(p, t, 2);
    }

    /** Binds every column but the id from position {@code i}; returns the next position. */
    private int bind(PreparedStatement p, TaskRecord t, int i) throws SQLException {
        TaskSpec s = t.spec();
        p.setInt(i++, t.order());
        p.setString(i++, s.title());
        p.setString(i++, s.complexity().name());
        p.setString(i++, s.priority().name());
        p.setString(i++, s.prompt());
        p.setString(i++, s.promptFile() == null ? null : s.promptFile().toString());
        p.setString(i++, json(s.dependsOn()));
        p.setString(i++, s.verify());
        p.setString(i++, json(s.files()));
        p.setInt(i++, s.maxAttempts());
        p.setInt(i++, s.line());
        p.setString(i++, t.source());
        p.setString(i++, t.state().name());
        p.setString(i++, t.agent());
        p.setString(i++, t.lastAgent());
        p.setString(i++, t.preferAgent());
        p.setInt(i++, t.attempts());
        p.setLong(i++, t.createdAt());
        p.setLong(i++, t.updatedAt());
        p.setLong(i++, t.pendingSince());
        p.setLong(i++, t.startedAt());
        p.setLong(i++, t.finishedAt());
        p.setString(i++, t.note() == null ? "" : t.note());
        p.setString(i++, t.lastOutput() == null ? "" : t.lastOutput());
        TaskRecord.DeliveryRecord d = t.delivery();
        if (d == null) {
            for (int k = 0; k < 6; k++) {
                p.setNull(i++, Types.NULL);
            }
        } else {
            p.setString(i++, d.agent());
            p.setLong(i++, d.deliveredAt());
            p.setInt(i++, d.enterPresses());
            p.setLong(i++, d.lastKeysAt());
            p.setInt(i++, d.seenWorking() ? 1 : 0);
            p.setString(i++, d.finishedLine());
        }
        return i;
    }

    private static TaskRecord read(ResultSet r) throws SQLException {
        TaskSpec spec = new TaskSpec(r.getString("id"), r.getString("title"), Tier.valueOf(r.getString("complexity")),
                Priority.valueOf(r.getString("priority")), r.getString("prompt"),
                r.getString("prompt_file") == null ? null : Path.of(r.getString("prompt_file")),
                list(r.getString("depends_on")), r.getString("verify"), list(r.getString("files")), r.getInt("max_attempts"),
                r.getInt("line"));
        String dAgent = r.getString("d_agent");
        TaskRecord.DeliveryRecord d = dAgent == null ? null : new TaskRecord.DeliveryRecord(dAgent, r.getLong("d_at"),
                r.getInt("d_presses"), r.getLong("d_keys_at"), r.getInt("d_seen_working") == 1, r.getString("d_finished_line"));
        return new TaskRecord(spec, r.getString("source"), r.getInt("seq"), TaskState.valueOf(r.getString("state")),
                r.getString("agent"), r.getString("last_agent"), r.getString("prefer_agent"), r.getInt("attempts"),
                r.getLong("created_at"), r.getLong("updated_at"), r.getLong("pending_since"), r.getLong("started_at"),
                r.getLong("finished_at"), r.getString("note"), r.getString("last_output"), d);
    }

    // ------------------------------------------------------------------------------------------ reports

    @Override
    public synchronized void report(String task, ReportOutcome outcome, String note, String agent, long at) {
        write(() -> {
            try (PreparedStatement p = db.prepareStatement(
                    "INSERT INTO reports (at, task, outcome, note, agent) VALUES (?, ?, ?, ?, ?)")) {
                p.setLong(1, at);
                p.setString(2, task);
                p.setString(3, outcome.name());
                p.setString(4, note == null ? "" : note);
                p.setString(5, agent);
                p.executeUpdate();
            }
            return null;
        });
    }

    @Override
    public synchronized List<Report> reports() {
        return call(() -> {
            List<Report> out = new ArrayList<>();
            try (Statement s = db.createStatement();
                 ResultSet r = s.executeQuery("SELECT * FROM reports WHERE consumed_at IS NULL ORDER BY seq")) {
                while (r.next()) {
                    out.add(new Report(r.getLong("seq"), r.getString("task"), ReportOutcome.valueOf(r.getString("outcome")),
                            r.getString("note"), r.getString("agent")));
                }
            }
            return out;
        });
    }

    @Override
    public synchronized void consumed(long seq) {
        write(() -> {
            try (PreparedStatement p = db.prepareStatement("UPDATE reports SET consumed_at = ? WHERE seq = ?")) {
                p.setLong(1, System.currentTimeMillis());
                p.setLong(2, seq);
                p.executeUpdate();
            }
            return null;
        });
    }

    /**
     * A report as stored.
     *
     * @param consumedAt when the loop put it before the policy, or 0 while it waits
     */
    public record ReportRow(long seq, long at, String task, ReportOutcome outcome, String note, String agent, long consumedAt) {
    }

    /** The reports the loop has not acted on yet, oldest first, with their times. */
    public synchronized List<ReportRow> openReports() {
        return call(() -> {
            List<ReportRow> out = new ArrayList<>();
            try (Statement s = db.createStatement();
                 ResultSet r = s.executeQuery("SELECT * FROM reports WHERE consumed_at IS NULL ORDER BY seq")) {
                while (r.next()) {
                    out.add(new ReportRow(r.getLong("seq"), r.getLong("at"), r.getString("task"),
                            ReportOutcome.valueOf(r.getString("outcome")), r.getString("note"), r.getString("agent"), 0));
                }
            }
            return out;
        });
    }

    // ------------------------------------------------------------------------------------------ verifications

    @Override
    public synchronized void verified(Verification v, long at) {
        write(() -> {
            try (PreparedStatement p = db.prepareStatement("INSERT OR REPLACE INTO verifications "
                    + "(task, attempt, at, passed, exit_code, output_tail) VALUES (?, ?, ?, ?, ?, ?)")) {
                p.setString(1, v.task());
                p.setInt(2, v.attempt());
                p.setLong(3, at);
                p.setInt(4, v.passed() ? 1 : 0);
                p.setInt(5, v.exitCode());
                p.setString(6, v.outputTail());
                p.executeUpdate();
            }
            Optional<TaskRecord> r = find(v.task());
            if (r.isPresent()) {
                update(TaskRecords.withLastOutput(r.get(), v.passed() ? "" : v.outputTail(), at));
            }
            return null;
        });
    }

    @Override
    public synchronized List<Verification> verifications() {
        return call(() -> {
            List<Verification> out = new ArrayList<>();
            try (Statement s = db.createStatement(); ResultSet r = s.executeQuery(
                    "SELECT v.* FROM verifications v JOIN tasks t ON t.id = v.task AND t.attempts = v.attempt "
                            + "WHERE t.state = 'VERIFYING' ORDER BY v.at")) {
                while (r.next()) {
                    out.add(new Verification(r.getString("task"), r.getInt("attempt"), r.getInt("passed") == 1,
                            r.getInt("exit_code"), r.getString("output_tail")));
                }
            }
            return out;
        });
    }

    // ------------------------------------------------------------------------------------------ journal

    @Override
    public synchronized void event(Kind kind, String agent, String task, String detail) {
        long now = System.currentTimeMillis();
        write(() -> {
            event(kind, agent, task, detail, now);
            return null;
        });
    }

    private void event(Kind kind, String agent, String task, String detail, long at) throws SQLException {
        try (PreparedStatement p = db.prepareStatement("INSERT INTO events (at, kind, agent, task, detail) VALUES (?, ?, ?, ?, ?)")) {
            p.setLong(1, at);
            p.setString(2, kind.name());
            p.setString(3, agent);
            p.setString(4, task);
            p.setString(5, detail);
            p.executeUpdate();
        }
    }

    @Override
    public synchronized int pruneEvents(long beforeMs) {
        return write(() -> {
            try (PreparedStatement s = db.prepareStatement("DELETE FROM events WHERE at < ?")) {
                s.setLong(1, beforeMs);
                return s.executeUpdate();
            }
        });
    }

    @Override
    public synchronized List<Event> events(long afterSeq, int limit) {
        return call(() -> {
            List<Event> out = new ArrayList<>();
            try (PreparedStatement p = db.prepareStatement("SELECT * FROM events WHERE seq > ? ORDER BY seq LIMIT ?")) {
                p.setLong(1, afterSeq);
                p.setInt(2, limit);
                try (ResultSet r = p.executeQuery()) {
                    while (r.next()) {
                        out.add(new Event(r.getLong("seq"), r.getLong("at"), Kind.valueOf(r.getString("kind")),
                                r.getString("agent"), r.getString("task"), r.getString("detail")));
                    }
                }
            }
            return out;
        });
    }

    /**
     * The newest {@code count} events about {@code task} (any task when null) of one of {@code kinds} (any kind when
     * empty), oldest first.
     */
    public synchronized List<Event> lastEvents(int count, String task, java.util.Set<Kind> kinds) {
        return call(() -> {
            StringBuilder sql = new StringBuilder("SELECT * FROM events WHERE 1 = 1");
            if (task != null) {
                sql.append(" AND task = ?");
            }
            if (!kinds.isEmpty()) {
                sql.append(" AND kind IN (").append(String.join(", ", java.util.Collections.nCopies(kinds.size(), "?"))).append(')');
            }
            sql.append(" ORDER BY seq DESC LIMIT ?");
            List<Event> out = new ArrayList<>();
            try (PreparedStatement p = db.prepareStatement(sql.toString())) {
                int i = 1;
                if (task != null) {
                    p.setString(i++, task);
                }
                for (Kind k : kinds) {
                    p.setString(i++, k.name());
                }
                p.setInt(i, count);
                try (ResultSet r = p.executeQuery()) {
                    while (r.next()) {
                        out.add(new Event(r.getLong("seq"), r.getLong("at"), Kind.valueOf(r.getString("kind")),
                                r.getString("agent"), r.getString("task"), r.getString("detail")));
                    }
                }
            }
            java.util.Collections.reverse(out);
            return out;
        });
    }

    /** The newest {@code count} events, oldest first. */
    public synchronized List<Event> lastEvents(int count) {
        return call(() -> {
            long max;
            try (Statement s = db.createStatement(); ResultSet r = s.executeQuery("SELECT coalesce(max(seq), 0) FROM events")) {
                max = r.next() ? r.getLong(1) : 0;
            }
            return events(Math.max(0, max - count), count);
        });
    }

    @Override
    public synchronized void agent(AgentState a) {
        write(() -> {
            try (PreparedStatement p = db.prepareStatement("INSERT INTO agents (name, status, reason, task, context_used, since, "
                    + "updated_at, screen) VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (name) DO UPDATE SET status = excluded.status, "
                    + "reason = excluded.reason, task = excluded.task, context_used = excluded.context_used, "
                    + "since = excluded.since, updated_at = excluded.updated_at, screen = excluded.screen")) {
                p.setString(1, a.name());
                p.setString(2, a.status().name());
                p.setString(3, a.reason());
                p.setString(4, a.task());
                if (a.contextUsed() == null) {
                    p.setNull(5, Types.INTEGER);
                } else {
                    p.setInt(5, a.contextUsed());
                }
                p.setLong(6, a.since());
                p.setLong(7, a.updatedAt());
                p.setString(8, json(a.screen()));
                p.executeUpdate();
            }
            return null;
        });
    }

    @Override
    public synchronized List<AgentState> agents() {
        return agentRows().stream().map(AgentRow::state).toList();
    }

    /** An agent's last known state and its counters, for {@code rulemux status}. */
    public record AgentRow(AgentState state, int promptsSent, int enterPresses, int tasksCompleted, int restarts) {
    }

    public synchronized List<AgentRow> agentRows() {
        return call(() -> {
            List<AgentRow> out = new ArrayList<>();
            try (Statement s = db.createStatement(); ResultSet r = s.executeQuery("SELECT * FROM agents ORDER BY rowid")) {
                while (r.next()) {
                    int context = r.getInt("context_used");
                    Integer contextUsed = r.wasNull() ? null : context; // wasNull() is about the last column read
                    AgentState state = new AgentState(r.getString("name"), Status.valueOf(r.getString("status")),
                            r.getString("reason"), r.getString("task"), contextUsed, r.getLong("since"),
                            r.getLong("updated_at"), list(r.getString("screen")));
                    out.add(new AgentRow(state, r.getInt("prompts_sent"), r.getInt("enter_presses"), r.getInt("tasks_completed"),
                            r.getInt("restarts")));
                }
            }
            return out;
        });
    }

    /** Counts a restart of {@code agent} (crash recovery). */
    public synchronized void restarted(String agent) {
        write(() -> {
            counter(agent, "restarts");
            return null;
        });
    }

    private void counter(String agent, String column) throws SQLException {
        if (agent == null) {
            return;
        }
        try (PreparedStatement p = db.prepareStatement("INSERT INTO agents (name, status, reason, since, updated_at, screen, "
                + column + ") VALUES (?, 'UNKNOWN', '', 0, 0, '[]', 1) ON CONFLICT (name) DO UPDATE SET " + column + " = "
                + column + " + 1")) {
            p.setString(1, agent);
            p.executeUpdate();
        }
    }

    /**
     * A cheap summary of everything that can change in the database: two equal marks mean nothing changed in
     * between (nothing {@link dev.rulemux.store.StatusDocument} shows, at least).
     *
     * @param lastEvent     the newest event's seq
     * @param tasks         how many tasks there are
     * @param tasksUpdated  the newest change of a task (epoch ms)
     * @param lastReport    the newest report's seq
     * @param openReports   how many reports wait for the loop
     * @param agentsUpdated the newest change of an agent's row (epoch ms)
     */
    public record Mark(long lastEvent, long tasks, long tasksUpdated, long lastReport, long openReports, long agentsUpdated) {
    }

    public synchronized Mark mark() {
        return call(() -> {
            try (Statement s = db.createStatement(); ResultSet r = s.executeQuery("SELECT "
                    + "(SELECT coalesce(max(seq), 0) FROM events), (SELECT count(*) FROM tasks), "
                    + "(SELECT coalesce(max(updated_at), 0) FROM tasks), (SELECT coalesce(max(seq), 0) FROM reports), "
                    + "(SELECT count(*) FROM reports WHERE consumed_at IS NULL), (SELECT coalesce(max(updated_at), 0) FROM agents)")) {
                r.next();
                return new Mark(r.getLong(1), r.getLong(2), r.getLong(3), r.getLong(4), r.getLong(5), r.getLong(6));
            }
        });
    }

    // ------------------------------------------------------------------------------------------ plumbing

    private interface Work<T> {
        T run() throws SQLException;
    }

    /** A read. */
    private <T> T call(Work<T> work) {
        try {
            return work.run();
        } catch (SQLException e) {
            throw failed(e);
        }
    }

    /**
     * A change: one immediate transaction, all or nothing. The transaction is begun and ended by explicit statements,
     * not through JDBC's auto-commit switch: the driver begins the next transaction right after each commit, and that
     * begin, failing busy, would report a change already committed as failed (it would then be made twice), and a
     * failed begin would leave the connection believing a transaction was open.
     */
    private <T> T write(Work<T> work) {
        try {
            exec("BEGIN IMMEDIATE"); // takes the write lock, waiting up to the busy timeout; fails busy having changed nothing
        } catch (SQLException e) {
            throw failed(e);
        }
        try {
            T result = work.run();
            exec("COMMIT");
            return result;
        } catch (SQLException | RuntimeException e) {
            tasksWritten++; // what was read inside the transaction is undone: read it all again
            byId = null;
            try {
                exec("ROLLBACK");
            } catch (SQLException alreadyEnded) {
                // SQLite ended the transaction itself (some I/O errors do): nothing to undo
            }
            if (e instanceof SQLException sql) {
                throw failed(sql);
            }
            throw (RuntimeException) e;
        }
    }

    private void exec(String sql) throws SQLException {
        try (Statement s = db.createStatement()) {
            s.execute(sql);
        }
    }

    private StoreException failed(SQLException e) {
        return new StoreException("the state database " + file + " failed: " + e.getMessage(), e);
    }

    private static String json(List<String> values) {
        try {
            return JSON.writeValueAsString(values);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static List<String> list(String json) {
        if (json == null || json.isEmpty()) {
            return List.of();
        }
        try {
            return JSON.readValue(json, new TypeReference<List<String>>() { });
        } catch (JsonProcessingException e) {
            throw new StoreException("a list in the state database is not JSON: " + json, e);
        }
    }

    @Override
    public synchronized void close() {
        try {
            db.close();
        } catch (SQLException ignored) {
            // closing at exit: nothing useful left to do
        }
    }
}
