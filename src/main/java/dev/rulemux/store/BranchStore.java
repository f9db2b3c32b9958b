package dev.rulemux.store;

import static dev.rulemux.store.JsonLists.json;
import static dev.rulemux.store.JsonLists.list;

import dev.rulemux.board.Branches;
import dev.rulemux.domain.MergeState;
import dev.rulemux.domain.TaskBranch;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code branches} table: each task's git branch (agents in worktrees) and where its merge back stands. A merge
 * is recorded as {@code MERGING} before git is asked to do anything, so a run started again after a crash finishes it.
 */
public final class BranchStore implements Branches {

    private final Database db;
    private final Clock clock;

    BranchStore(Database db, Clock clock) {
        this.db = db;
        this.clock = clock;
    }

    @Override
    public List<TaskBranch> branches() {
        return db.read(() -> {
            List<TaskBranch> out = new ArrayList<>();
            try (Statement s = db.statement(); ResultSet r = s.executeQuery("SELECT * FROM branches ORDER BY rowid")) {
                while (r.next()) {
                    out.add(new TaskBranch(r.getString("task"), r.getString("agent"), r.getString("branch"),
                            r.getString("base"), MergeState.valueOf(r.getString("merge")), list(r.getString("conflicts")),
                            r.getString("note")));
                }
            }
            return out;
        });
    }

    @Override
    public void put(TaskBranch b) {
        db.write(() -> {
            try (PreparedStatement p = db.prepare("INSERT INTO branches (task, agent, branch, base, merge, conflicts, note, "
                    + "updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (task) DO UPDATE SET agent = excluded.agent, "
                    + "branch = excluded.branch, base = excluded.base, merge = excluded.merge, conflicts = excluded.conflicts, "
                    + "note = excluded.note, updated_at = excluded.updated_at")) {
                p.setString(1, b.task());
                p.setString(2, b.agent());
                p.setString(3, b.branch());
                p.setString(4, b.base());
                p.setString(5, b.merge().name());
                p.setString(6, json(b.conflicts()));
                p.setString(7, b.note());
                p.setLong(8, clock.millis());
                p.executeUpdate();
            }
            return null;
        });
    }
}
