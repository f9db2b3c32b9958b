package dev.rulemux.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rulemux.board.Journal;
import dev.rulemux.config.TaskSpecs;
import dev.rulemux.domain.ReportOutcome;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The journal's retention: old events go, the tasks and reports recovery needs stay. */
class JournalRetentionTest {

    @TempDir
    Path dir;

    @Test
    void givenEventsOlderThanTheCutWhenPrunedThenOnlyTheyAreDeletedAndTasksAndReportsStay() throws Exception {
        long now = System.currentTimeMillis();
        try (StateStore store = StateStore.open(dir)) {
            store.add(TaskSpecs.task("t1"), "cli"); // an event too ("added t1")
            store.report("t1", ReportOutcome.DONE, "done", "alpha", now);
            store.event(Journal.Kind.INFO, null, null, "old one");
            store.event(Journal.Kind.INFO, null, null, "old two");
            store.event(Journal.Kind.INFO, null, null, "recent");
        }
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve(StateStore.FILE)); Statement s = c.createStatement()) {
            s.executeUpdate("UPDATE events SET at = " + (now - 40L * 86_400_000) + " WHERE detail LIKE 'old%' OR detail LIKE 'added%'");
        }

        try (StateStore store = StateStore.open(dir)) {
            int pruned = store.pruneEvents(now - 30L * 86_400_000);

            assertThat(pruned).isEqualTo(3);
            assertThat(store.lastEvents(100)).extracting(Journal.Event::detail).containsExactly("recent");
            assertThat(store.record("t1")).isPresent();
            assertThat(store.reports()).hasSize(1);
        }
    }
}
