package dev.rulemux.loop;

import static dev.rulemux.ConfigDirs.write;
import static dev.rulemux.loop.SimTeam.agent;
import static org.assertj.core.api.Assertions.assertThat;

import dev.rulemux.board.Journal;
import dev.rulemux.board.ResilientBoard;
import dev.rulemux.domain.Status;
import dev.rulemux.domain.TaskState;
import dev.rulemux.store.StateStore;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A state database that cannot be written for a while (another process holds its write lock, the disk is full) does
 * not end the run: the loop alerts, keeps deciding and acting on what it knows, and writes what it kept back once it
 * can.
 */
class StoreOutageIT {

    @TempDir
    Path dir;

    @Test
    void givenAnotherProcessHoldsTheDatabaseLockWhenTheLoopTicksThenItAlertsKeepsWorkingAndWritesEverythingOnceReleased()
            throws Exception {
        try (SimTeam team = new SimTeam(dir, agent("gamma", "low"), "tasks: []\n");
             StateStore store = StateStore.open(dir)) {
            ResilientBoard board = store.resilient();
            RunLoop loop = team.loop(RunLoop.Options.run(false, false, Duration.ofMillis(200)), board, board);
            Future<Integer> running = team.runInBackground(loop);
            SimTeam.await(dev.rulemux.Eventually.GENEROUS, "gamma idle in the store",
                    () -> store.agents().stream().anyMatch(a -> a.status() == Status.IDLE));

            // given: another connection holds the write lock of the database
            try (Connection other = DriverManager.getConnection("jdbc:sqlite:" + store.file().toAbsolutePath())) {
                try (Statement s = other.createStatement()) {
                    s.execute("BEGIN EXCLUSIVE");
                }
                // when: a task is added to tasks.yaml (declaring it is a write), then sent and done while locked
                write(dir, "tasks.yaml", "tasks:\n  - {id: t1, complexity: low, prompt: \"Do it [mock work=300ms]\"}\n");

                SimTeam.await(dev.rulemux.Eventually.GENEROUS, "t1 completed while the database is locked",
                        () -> team.log("orchestration.log").contains("t1 ASSIGNED -> COMPLETED")
                                || team.log("orchestration.log").contains("t1 IN_PROGRESS -> COMPLETED"));
                // then: the loop is still running, said so, sent the task once, and the database has none of it yet
                assertThat(running).as("the loop did not exit").isNotDone();
                assertThat(team.log("orchestration.log")).contains("ALERT the state database cannot be written");
                assertThat(team.prompts()).hasSize(1);
                assertThat(store.record("t1")).as("nothing written while locked").isEmpty();

                try (Statement s = other.createStatement()) {
                    s.execute("COMMIT");
                }
            }

            // and once released, what was kept back lands: the task, its history, the events and the alert
            // (the row and its transition event are two writes: wait for both)
            SimTeam.await(dev.rulemux.Eventually.GENEROUS, "t1 completed in the store", () -> store.record("t1")
                    .map(r -> r.state() == TaskState.COMPLETED).orElse(false)
                    && store.lastEvents(1000).stream().map(Journal.Event::detail)
                            .anyMatch(d -> d.contains("t1") && d.contains("-> COMPLETED")));
            assertThat(store.record("t1").orElseThrow().lastAgent()).isEqualTo("gamma");
            assertThat(store.lastEvents(1000)).extracting(Journal.Event::detail)
                    .anyMatch(d -> d.startsWith("sent t1 to gamma"))
                    .anyMatch(d -> d.startsWith("the state database cannot be written"))
                    .anyMatch(d -> d.contains("t1") && d.contains("-> COMPLETED"));
            SimTeam.await(dev.rulemux.Eventually.GENEROUS, "the recovery alert",
                    () -> team.log("orchestration.log").contains("ALERT the state database is writable again"));
            assertThat(running).isNotDone();
            loop.stop();
            assertThat(running.get(dev.rulemux.Eventually.GENEROUS.toSeconds(), TimeUnit.SECONDS)).isZero();
        }
    }
}
