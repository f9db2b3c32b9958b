package dev.rulemux.board;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rulemux.ManualClock;
import dev.rulemux.config.TaskSpecs;
import dev.rulemux.domain.TaskState;
import dev.rulemux.store.StateStore;
import dev.rulemux.tmux.PrivateTmux;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The loop's board over a state database that cannot be written for a while. */
class ResilientBoardTest {

    @TempDir
    Path dir;

    static Connection locking(StateStore store) throws Exception {
        Connection other = DriverManager.getConnection("jdbc:sqlite:" + store.file().toAbsolutePath());
        try (Statement s = other.createStatement()) {
            s.execute("BEGIN EXCLUSIVE");
        }
        return other;
    }

    @Test
    void givenTheDatabaseIsLockedWhenTheLoopChangesTasksThenItSeesItsChangesAtOnceAndTheyAreWrittenInOrderOnceUnlocked()
            throws Exception {
        try (StateStore store = StateStore.open(dir)) {
            store.add(TaskSpecs.task("t1"), "tasks.yaml");
            ResilientBoard board = store.resilient();
            List<String> news = new ArrayList<>();
            try (Connection other = locking(store)) {
                // when: the task is sent, taken up and its events journaled while the lock is held
                assertThat(board.delivered("t1", "gamma", System.currentTimeMillis(), null)).isTrue();
                board.move("t1", TaskState.IN_PROGRESS, null, "gamma works on it");
                board.event(Journal.Kind.DISPATCH, "gamma", "t1", "sent t1 to gamma");
                assertThat(board.move("t1", TaskState.BLOCKED, null, "an allowed move")).isTrue();
                assertThat(board.move("t1", TaskState.IN_PROGRESS, null, "not allowed from BLOCKED")).isFalse();

                // then: the loop reads its own changes; the database has none of them; a person is told
                assertThat(board.degraded()).isTrue();
                assertThat(board.record("t1").map(TaskRecord::state)).hasValue(TaskState.BLOCKED);
                assertThat(store.record("t1").map(TaskRecord::state)).hasValue(TaskState.PENDING);
                news.addAll(board.catchUp());
                assertThat(news).singleElement().asString().startsWith("the state database cannot be written");
                try (Statement s = other.createStatement()) {
                    s.execute("COMMIT");
                }
            }

            PrivateTmux.await(dev.rulemux.Eventually.GENEROUS, "the kept changes to be written", () -> {
                news.addAll(board.catchUp());
                return !board.degraded();
            });
            assertThat(news).last().asString().startsWith("the state database is writable again");
            TaskRecord t1 = store.record("t1").orElseThrow();
            assertThat(t1.state()).isEqualTo(TaskState.BLOCKED);
            assertThat(t1.attempts()).isEqualTo(1);
            assertThat(t1.lastAgent()).isEqualTo("gamma");
            assertThat(store.lastEvents(10)).extracting(Journal.Event::detail).contains("sent t1 to gamma");
            assertThat(store.agentRows()).singleElement().satisfies(a -> assertThat(a.promptsSent()).isEqualTo(1));
        }
    }

    @Test
    void anErrorThatWaitingWillNotMendIsNotKeptButThrown() {
        ResilientBoard board = new ResilientBoard(new MemoryTaskBoard(List.of(TaskSpecs.task("t1")), java.time.Clock.systemUTC()),
                Journal.NONE, e -> e.getMessage().contains("busy"), java.time.Clock.systemUTC());
        assertThat(board.move("t1", TaskState.CANCELLED, null, "fine")).isTrue();
        ResilientBoard failing = new ResilientBoard(throwing("corrupt"), Journal.NONE, e -> e.getMessage().contains("busy"),
                java.time.Clock.systemUTC());
        assertThatThrownBy(() -> failing.move("t1", TaskState.CANCELLED, null, "x")).hasMessage("corrupt");
        assertThat(failing.degraded()).isFalse();
    }

    @Test
    void givenAnOutageThenTheKeptChangesAreRetriedWhenTheBoardsClockSaysAndWrittenAtItsTime() {
        // given a store that fails busy, under a board whose clock moves only when told
        ManualClock clock = new ManualClock(java.time.Instant.parse("2001-01-01T00:00:00Z"));
        MemoryTaskBoard store = new MemoryTaskBoard(List.of(TaskSpecs.task("t1")), clock);
        AtomicBoolean down = new AtomicBoolean(true);
        ResilientBoard board = new ResilientBoard(failingWhile(down, store), Journal.NONE, e -> e.getMessage().contains("busy"),
                clock);
        assertThat(board.move("t1", TaskState.CANCELLED, null, "not needed")).isTrue();
        assertThat(board.catchUp()).singleElement().asString().startsWith("the state database cannot be written");

        // when the store mends, the kept change waits for the first retry by the clock, not by the machine's time
        down.set(false);
        clock.advance(java.time.Duration.ofMillis(ResilientBoard.FIRST_RETRY_MS - 1));
        assertThat(board.catchUp()).isEmpty();
        assertThat(board.degraded()).isTrue();
        assertThat(store.record("t1").map(TaskRecord::state)).hasValue(TaskState.PENDING);

        // then once it is due the change is written, timed by the clock, and the outage's length is the clock's
        clock.advance(java.time.Duration.ofSeconds(3));
        assertThat(board.catchUp()).singleElement().asString().startsWith("the state database is writable again after 3 s");
        TaskRecord t1 = store.record("t1").orElseThrow();
        assertThat(t1.state()).isEqualTo(TaskState.CANCELLED);
        assertThat(t1.finishedAt()).isEqualTo(clock.millis());
    }

    @Test
    void givenAnOutageThatLastsAPersonIsRemindedEachMinuteOfTheBoardsClock() {
        ManualClock clock = new ManualClock(java.time.Instant.parse("2001-01-01T00:00:00Z"));
        ResilientBoard board = new ResilientBoard(failingWhile(new AtomicBoolean(true),
                new MemoryTaskBoard(List.of(TaskSpecs.task("t1")), clock)), Journal.NONE, e -> e.getMessage().contains("busy"), clock);
        board.move("t1", TaskState.CANCELLED, null, "not needed");
        assertThat(board.catchUp()).hasSize(1);

        clock.advance(java.time.Duration.ofMillis(ResilientBoard.REMIND_MS - 1));
        assertThat(board.catchUp()).isEmpty();
        clock.advance(java.time.Duration.ofMillis(1));
        assertThat(board.catchUp()).singleElement().asString()
                .isEqualTo("the state database still cannot be written after 60 s; 1 changes kept for it");
    }

    private static final Set<String> READS = Set.of("records", "record", "reports", "verifications", "tasks");

    /** {@code board}, whose every change fails busy while {@code down} is set. */
    static TaskBoard failingWhile(AtomicBoolean down, TaskBoard board) {
        return (TaskBoard) java.lang.reflect.Proxy.newProxyInstance(TaskBoard.class.getClassLoader(), new Class<?>[] {TaskBoard.class},
                (proxy, method, args) -> {
                    if (down.get() && !READS.contains(method.getName())) {
                        throw new IllegalStateException("the database is busy");
                    }
                    try {
                        return method.invoke(board, args);
                    } catch (java.lang.reflect.InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    /** A board whose reads work (no task) and whose every change throws {@code message}. */
    static TaskBoard throwing(String message) {
        return (TaskBoard) java.lang.reflect.Proxy.newProxyInstance(TaskBoard.class.getClassLoader(), new Class<?>[] {TaskBoard.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "records", "reports", "verifications" -> List.of();
                    case "record" -> Optional.empty();
                    default -> throw new IllegalStateException(message);
                });
    }
}
