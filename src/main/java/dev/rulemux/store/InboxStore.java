package dev.rulemux.store;

import dev.rulemux.board.Inbox;
import dev.rulemux.board.TaskRecord;
import dev.rulemux.board.TaskRecords;
import dev.rulemux.domain.Report;
import dev.rulemux.domain.ReportOutcome;
import dev.rulemux.domain.Verification;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The {@code reports} and {@code verifications} tables: what agents and verify commands sent in, waiting for the loop.
 * A verification result also keeps the end of a failed check's output on its task (for the retry prompt).
 */
public final class InboxStore implements Inbox {

    private final Database db;
    private final TaskStore tasks;
    private final Clock clock;

    /**
     * @param tasks whose records a verification result changes, in the same transaction
     * @param clock when a report was acted on
     */
    InboxStore(Database db, TaskStore tasks, Clock clock) {
        this.db = db;
        this.tasks = tasks;
        this.clock = clock;
    }

    // ------------------------------------------------------------------------------------------ reports

    @Override
    public void report(String task, ReportOutcome outcome, String note, String agent, long at) {
        db.write(() -> {
            try (PreparedStatement p = db.prepare("INSERT INTO reports (at, task, outcome, note, agent) VALUES (?, ?, ?, ?, ?)")) {
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
    public List<Report> reports() {
        return db.read(() -> {
            List<Report> out = new ArrayList<>();
            try (Statement s = db.statement();
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
    public void consumed(long seq) {
        db.write(() -> {
            try (PreparedStatement p = db.prepare("UPDATE reports SET consumed_at = ? WHERE seq = ?")) {
                p.setLong(1, clock.millis());
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
    public List<ReportRow> openReports() {
        return db.read(() -> {
            List<ReportRow> out = new ArrayList<>();
            try (Statement s = db.statement();
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
    public void verified(Verification v, long at) {
        db.write(() -> {
            try (PreparedStatement p = db.prepare("INSERT OR REPLACE INTO verifications "
                    + "(task, attempt, at, passed, exit_code, output_tail) VALUES (?, ?, ?, ?, ?, ?)")) {
                p.setString(1, v.task());
                p.setInt(2, v.attempt());
                p.setLong(3, at);
                p.setInt(4, v.passed() ? 1 : 0);
                p.setInt(5, v.exitCode());
                p.setString(6, v.outputTail());
                p.executeUpdate();
            }
            Optional<TaskRecord> r = tasks.find(v.task());
            if (r.isPresent()) {
                tasks.update(TaskRecords.withLastOutput(r.get(), v.passed() ? "" : v.outputTail(), at));
            }
            return null;
        });
    }

    @Override
    public List<Verification> verifications() {
        return db.read(() -> {
            List<Verification> out = new ArrayList<>();
            try (Statement s = db.statement(); ResultSet r = s.executeQuery(
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

    /** Deletes the verification results of {@code task} (it starts over); inside a change. */
    static void forgetVerifications(Database db, String task) throws SQLException {
        try (PreparedStatement p = db.prepare("DELETE FROM verifications WHERE task = ?")) {
            p.setString(1, task);
            p.executeUpdate();
        }
    }
}
