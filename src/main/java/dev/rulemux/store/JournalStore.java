package dev.rulemux.store;

import dev.rulemux.board.Journal;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;

/**
 * The journal in the state database: the {@code events} table (append-only, pruned by retention), and the agents'
 * last known state through {@link AgentStore}.
 */
public final class JournalStore implements Journal {

    private final Database db;
    private final AgentStore agents;
    private final Clock clock;

    /**
     * @param agents where the agents' rows are kept
     * @param clock  the time of each event
     */
    JournalStore(Database db, AgentStore agents, Clock clock) {
        this.db = db;
        this.agents = agents;
        this.clock = clock;
    }

    @Override
    public void event(Kind kind, String agent, String task, String detail) {
        long now = clock.millis();
        db.write(() -> {
            insert(kind, agent, task, detail, now);
            return null;
        });
    }

    /** Appends an event; inside a change. */
    void insert(Kind kind, String agent, String task, String detail, long at) throws SQLException {
        try (PreparedStatement p = db.prepare("INSERT INTO events (at, kind, agent, task, detail) VALUES (?, ?, ?, ?, ?)")) {
            p.setLong(1, at);
            p.setString(2, kind.name());
            p.setString(3, agent);
            p.setString(4, task);
            p.setString(5, detail);
            p.executeUpdate();
        }
    }

    @Override
    public int pruneEvents(long beforeMs) {
        return db.write(() -> {
            try (PreparedStatement s = db.prepare("DELETE FROM events WHERE at < ?")) {
                s.setLong(1, beforeMs);
                return s.executeUpdate();
            }
        });
    }

    @Override
    public List<Event> events(long afterSeq, int limit) {
        return db.read(() -> {
            List<Event> out = new ArrayList<>();
            try (PreparedStatement p = db.prepare("SELECT * FROM events WHERE seq > ? ORDER BY seq LIMIT ?")) {
                p.setLong(1, afterSeq);
                p.setInt(2, limit);
                try (ResultSet r = p.executeQuery()) {
                    while (r.next()) {
                        out.add(event(r));
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
    public List<Event> lastEvents(int count, String task, Set<Kind> kinds) {
        return db.read(() -> {
            StringBuilder sql = new StringBuilder("SELECT * FROM events WHERE 1 = 1");
            if (task != null) {
                sql.append(" AND task = ?");
            }
            if (!kinds.isEmpty()) {
                sql.append(" AND kind IN (").append(String.join(", ", Collections.nCopies(kinds.size(), "?"))).append(')');
            }
            sql.append(" ORDER BY seq DESC LIMIT ?");
            List<Event> out = new ArrayList<>();
            try (PreparedStatement p = db.prepare(sql.toString())) {
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
                        out.add(event(r));
                    }
                }
            }
            Collections.reverse(out);
            return out;
        });
    }

    /** The newest {@code count} events, oldest first. */
    public List<Event> lastEvents(int count) {
        return db.read(() -> {
            long max;
            try (Statement s = db.statement(); ResultSet r = s.executeQuery("SELECT coalesce(max(seq), 0) FROM events")) {
                max = r.next() ? r.getLong(1) : 0;
            }
            return events(Math.max(0, max - count), count);
        });
    }

    private static Event event(ResultSet r) throws SQLException {
        return new Event(r.getLong("seq"), r.getLong("at"), Kind.valueOf(r.getString("kind")), r.getString("agent"),
                r.getString("task"), r.getString("detail"));
    }

    @Override
    public void agent(AgentState state) {
        agents.agent(state);
    }

    @Override
    public List<AgentState> agents() {
        return agents.agents();
    }
}
