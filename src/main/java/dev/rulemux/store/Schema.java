package dev.rulemux.store;

import java.util.List;

/**
 * The state database's schema, as numbered migrations: migration {@code n} takes a database from version
 * {@code n} to {@code n + 1} ({@code PRAGMA user_version}). Append; never edit a released migration.
 */
final class Schema {

    /** "Rmux": marks a SQLite file as rulemux's state ({@code PRAGMA application_id}). */
    static final int APPLICATION_ID = 0x526D7578;

    static final List<List<String>> MIGRATIONS = List.of(
            // 0 -> 1: the first schema
            List.of(
                    """
                    CREATE TABLE tasks (
                        id TEXT PRIMARY KEY,
                        seq INTEGER NOT NULL,
                        title TEXT NOT NULL,
                        complexity TEXT NOT NULL,
                        priority TEXT NOT NULL,
                        prompt TEXT,
                        prompt_file TEXT,
                        depends_on TEXT NOT NULL,
                        verify TEXT,
                        files TEXT NOT NULL,
                        max_attempts INTEGER NOT NULL,
                        line INTEGER NOT NULL,
                        source TEXT NOT NULL,
                        state TEXT NOT NULL,
                        agent TEXT,
                        last_agent TEXT,
                        prefer_agent TEXT,
                        attempts INTEGER NOT NULL,
                        created_at INTEGER NOT NULL,
                        updated_at INTEGER NOT NULL,
                        pending_since INTEGER NOT NULL,
                        started_at INTEGER NOT NULL,
                        finished_at INTEGER NOT NULL,
                        note TEXT NOT NULL,
                        last_output TEXT NOT NULL,
                        d_agent TEXT,
                        d_at INTEGER,
                        d_presses INTEGER,
                        d_keys_at INTEGER,
                        d_seen_working INTEGER,
                        d_finished_line TEXT
                    )""",
                    """
                    CREATE TABLE reports (
                        seq INTEGER PRIMARY KEY AUTOINCREMENT,
                        at INTEGER NOT NULL,
                        task TEXT NOT NULL,
                        outcome TEXT NOT NULL,
                        note TEXT NOT NULL,
                        agent TEXT,
                        consumed_at INTEGER
                    )""",
                    "CREATE INDEX reports_open ON reports (consumed_at)",
                    """
                    CREATE TABLE verifications (
                        task TEXT NOT NULL,
                        attempt INTEGER NOT NULL,
                        at INTEGER NOT NULL,
                        passed INTEGER NOT NULL,
                        exit_code INTEGER NOT NULL,
                        output_tail TEXT NOT NULL,
                        PRIMARY KEY (task, attempt)
                    )""",
                    """
                    CREATE TABLE agents (
                        name TEXT PRIMARY KEY,
                        status TEXT NOT NULL,
                        reason TEXT NOT NULL,
                        task TEXT,
                        context_used INTEGER,
                        since INTEGER NOT NULL,
                        updated_at INTEGER NOT NULL,
                        screen TEXT NOT NULL,
                        prompts_sent INTEGER NOT NULL DEFAULT 0,
                        enter_presses INTEGER NOT NULL DEFAULT 0,
                        tasks_completed INTEGER NOT NULL DEFAULT 0,
                        restarts INTEGER NOT NULL DEFAULT 0
                    )""",
                    """
                    CREATE TABLE events (
                        seq INTEGER PRIMARY KEY AUTOINCREMENT,
                        at INTEGER NOT NULL,
                        kind TEXT NOT NULL,
                        agent TEXT,
                        task TEXT,
                        detail TEXT NOT NULL
                    )"""),
            // 1 -> 2: a task row's revision, raised on every write, so that a reader takes only the rows that moved
            List.of(
                    "ALTER TABLE tasks ADD COLUMN rev INTEGER NOT NULL DEFAULT 0",
                    "CREATE INDEX tasks_rev ON tasks (rev)"),
            // 2 -> 3: the tasks' git branches (agents in worktrees) and where each merge back stands
            List.of(
                    """
                    CREATE TABLE branches (
                        task TEXT PRIMARY KEY,
                        agent TEXT NOT NULL,
                        branch TEXT NOT NULL,
                        base TEXT NOT NULL,
                        merge TEXT NOT NULL,
                        conflicts TEXT NOT NULL,
                        note TEXT NOT NULL,
                        updated_at INTEGER NOT NULL
                    )"""));

    static int latest() {
        return MIGRATIONS.size();
    }

    private Schema() {
    }
}
