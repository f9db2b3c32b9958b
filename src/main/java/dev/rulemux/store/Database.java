package dev.rulemux.store;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteErrorCode;
import org.sqlite.SQLiteException;

/**
 * One open state database: the checks before a file is used (a SQLite file, rulemux's, a known schema, whole), the
 * migrations, the connection and its transactions. The stores of each kind of row ({@link TaskStore},
 * {@link InboxStore}, {@link JournalStore}, {@link AgentStore}) work through it.
 *
 * <p>Each change is one immediate transaction (SQLite's WAL lets readers go on meanwhile; a busy writer is waited for
 * up to {@link #BUSY_TIMEOUT_MS}); {@code synchronous=FULL} makes a committed change survive a power loss, and a change
 * cut short leaves the previous state. One connection serves every store, one call at a time.
 */
public final class Database implements AutoCloseable {

    static final int BUSY_TIMEOUT_MS = 15_000;
    private static final byte[] SQLITE_HEADER = "SQLite format 3\0".getBytes(StandardCharsets.US_ASCII);

    /** A read or change on the connection. */
    interface Work<T> {
        T run() throws SQLException;
    }

    private final Path file;
    private final Connection db;
    private final List<Runnable> onRollback = new ArrayList<>();
    private int writing; // nesting depth of write(): an inner change joins the outer transaction

    private Database(Path file, Connection db) {
        this.file = file;
        this.db = db;
    }

    /**
     * Opens {@code file}, making it (with its folder, owner-only) when missing; migrates an older schema. A file that is
     * not a SQLite database, a database that is not rulemux's, a newer schema or a corrupt file is refused, untouched.
     */
    static Database open(Path file) {
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
        Database database = new Database(file, connect(cfg, file));
        try {
            database.migrate();
        } catch (SQLException e) {
            database.close();
            throw refused(file, e);
        } catch (RuntimeException e) {
            database.close();
            throw e;
        }
        return database;
    }

    /**
     * Opens {@code file} read-only (for the commands that only show it): nothing is made, migrated or written. Empty
     * when there is no such file, or it is empty.
     *
     * @throws StoreException when the file is not rulemux's state, is corrupt, or is of an older schema (which a
     *                        writing command, such as rulemux run, migrates first) or a newer one
     */
    static Optional<Database> openReadOnly(Path file) {
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
        Database database = new Database(file, connect(cfg, file));
        try {
            int version = check(database.db, file);
            if (version < Schema.latest()) {
                throw new StoreException(file + " is of an older schema (" + version + ", this rulemux reads " + Schema.latest()
                        + "), and this command only reads it: run rulemux run (or any command that changes the state, such "
                        + "as rulemux task add) once to migrate it");
            }
        } catch (SQLException e) {
            database.close();
            throw refused(file, e);
        } catch (RuntimeException e) {
            database.close();
            throw e;
        }
        return Optional.of(database);
    }

    /** The one way a connection to the state is made: its failure is told as the file's. */
    private static Connection connect(SQLiteConfig cfg, Path file) {
        SqliteLibrary.prepare();
        try {
            return cfg.createConnection("jdbc:sqlite:" + file.toAbsolutePath());
        } catch (SQLException e) {
            throw refused(file, e);
        }
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
        try (Connection c = connect(cfg, file)) {
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
     * transient} error ({@link #BUSY_TIMEOUT_MS} unless set).
     */
    public void busyTimeout(Duration timeout) {
        read(() -> {
            exec("PRAGMA busy_timeout = " + timeout.toMillis());
            return null;
        });
    }

    /** The schema version of the open database. */
    public int schemaVersion() {
        return read(() -> intPragma(db, "user_version"));
    }

    /**
     * SQLite's {@code data_version}: it moves when another connection commits a change, not for this connection's own
     * (a store that caches what it read counts its own writes beside it). Called inside {@link #read} or {@link #write}.
     */
    long dataVersion() throws SQLException {
        return intPragma(db, "data_version");
    }

    /**
     * {@code forget} runs whenever a change is undone: what a store read inside that transaction (and cached) may be gone,
     * so it must read it all again.
     */
    void onRollback(Runnable forget) {
        onRollback.add(forget);
    }

    /** A read (and what a store does with it, under the same lock). */
    synchronized <T> T read(Work<T> work) {
        try {
            return work.run();
        } catch (SQLException e) {
            throw failed(e);
        }
    }

    /**
     * A change: one immediate transaction, all or nothing; a change made inside another joins it. The transaction is
     * begun and ended by explicit statements, not through JDBC's auto-commit switch: the driver begins the next
     * transaction right after each commit, and that begin, failing busy, would report a change already committed as
     * failed (it would then be made twice), and a failed begin would leave the connection believing a transaction was
     * open.
     */
    synchronized <T> T write(Work<T> work) {
        if (writing > 0) {
            return read(work);
        }
        try {
            exec("BEGIN IMMEDIATE"); // takes the write lock, waiting up to the busy timeout; fails busy having changed nothing
        } catch (SQLException e) {
            throw failed(e);
        }
        writing++;
        try {
            T result = work.run();
            exec("COMMIT");
            return result;
        } catch (SQLException | RuntimeException e) {
            onRollback.forEach(Runnable::run);
            try {
                exec("ROLLBACK");
            } catch (SQLException alreadyEnded) {
                // SQLite ended the transaction itself (some I/O errors do): nothing to undo
            }
            if (e instanceof SQLException sql) {
                throw failed(sql);
            }
            throw (RuntimeException) e;
        } finally {
            writing--;
        }
    }

    /** A statement with parameters, to be used (and closed) inside {@link #read} or {@link #write}. */
    PreparedStatement prepare(String sql) throws SQLException {
        return db.prepareStatement(sql);
    }

    /** A statement, to be used (and closed) inside {@link #read} or {@link #write}. */
    Statement statement() throws SQLException {
        return db.createStatement();
    }

    private void exec(String sql) throws SQLException {
        try (Statement s = db.createStatement()) {
            s.execute(sql);
        }
    }

    private StoreException failed(SQLException e) {
        return new StoreException("the state database " + file + " failed: " + e.getMessage(), e);
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
