package dev.rulemux.store;

import static dev.rulemux.store.JsonLists.json;
import static dev.rulemux.store.JsonLists.list;

import dev.rulemux.board.Journal.AgentState;
import dev.rulemux.domain.Status;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code agents} table: each agent's last known state as the loop saw it, and its counters (prompts sent, Enter
 * presses, tasks completed, restarts). The times in a row are those the loop gave; this records none of its own.
 */
public final class AgentStore {

    private final Database db;

    AgentStore(Database db) {
        this.db = db;
    }

    /** Writes {@code a} over the agent's row (its counters are kept). */
    public void agent(AgentState a) {
        db.write(() -> {
            try (PreparedStatement p = db.prepare("INSERT INTO agents (name, status, reason, task, context_used, since, "
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

    public List<AgentState> agents() {
        return agentRows().stream().map(AgentRow::state).toList();
    }

    /** An agent's last known state and its counters, for {@code rulemux status}. */
    public record AgentRow(AgentState state, int promptsSent, int enterPresses, int tasksCompleted, int restarts) {
    }

    public List<AgentRow> agentRows() {
        return db.read(() -> {
            List<AgentRow> out = new ArrayList<>();
            try (Statement s = db.statement(); ResultSet r = s.executeQuery("SELECT * FROM agents ORDER BY rowid")) {
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
    public void restarted(String agent) {
        db.write(() -> {
            count(agent, "restarts");
            return null;
        });
    }

    /** Adds one to {@code agent}'s counter {@code column} (its row is made when missing); inside a change. */
    void count(String agent, String column) throws SQLException {
        if (agent == null) {
            return;
        }
        try (PreparedStatement p = db.prepare("INSERT INTO agents (name, status, reason, since, updated_at, screen, "
                + column + ") VALUES (?, 'UNKNOWN', '', 0, 0, '[]', 1) ON CONFLICT (name) DO UPDATE SET " + column + " = "
                + column + " + 1")) {
            p.setString(1, agent);
            p.executeUpdate();
        }
    }
}
