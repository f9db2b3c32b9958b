package dev.rulemux.store;

import dev.rulemux.config.TaskSpecs;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rulemux.config.TaskSpec;
import dev.rulemux.domain.IsolationMode;
import dev.rulemux.domain.Priority;
import dev.rulemux.domain.Report;
import dev.rulemux.domain.ReportOutcome;
import dev.rulemux.domain.TaskState;
import dev.rulemux.domain.Tier;
import dev.rulemux.domain.Verification;
import dev.rulemux.board.Journal;
import dev.rulemux.board.TaskRecord;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The state database: what it refuses to open, and what a change may and may not do. */
class StateStoreTest {

    @TempDir
    Path dir;

    static TaskSpec task(String id, String... dependsOn) {
        return new TaskSpec(id, "Title of " + id, Tier.MEDIUM, Priority.MEDIUM, "do " + id, null, List.of(dependsOn),
                null, List.of(), 3, 0);
    }

    static TaskSpec verified(String id) {
        return TaskSpecs.verified(id);
    }

    private Path stateFile() {
        return dir.resolve(StateStore.FILE);
    }

    private static long pragma(Path file, String name) throws SQLException {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file); Statement s = c.createStatement();
             ResultSet r = s.executeQuery("PRAGMA " + name)) {
            return r.next() ? r.getLong(1) : -1;
        }
    }

    /** The file's bytes as a SHA-256 digest (a failed comparison prints two short lines, not two arrays). */
    private static String digest(Path file) throws Exception {
        return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
    }

    private static String digest(byte[] bytes) throws Exception {
        return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(bytes));
    }

    // ------------------------------------------------------------------------------------------ reading tasks

    @Test
    void givenAMoveWithItsJournalEntry_whenItIsAllowed_thenTheMoveAndItsTransitionEventAreWrittenTogether() {
        try (StateStore store = StateStore.open(dir)) {
            store.declare(List.of(task("a")));
            long before = lastSeq(store);

            boolean moved = store.move("a", TaskState.CANCELLED, null, "not wanted",
                    new dev.rulemux.board.TaskBoard.Entry("gamma", "a PENDING -> CANCELLED: not wanted"));
            boolean refused = store.move("a", TaskState.IN_PROGRESS, "gamma", "too late",
                    new dev.rulemux.board.TaskBoard.Entry("gamma", "a CANCELLED -> IN_PROGRESS: too late"));

            assertThat(store.journalsMoves()).isTrue();
            assertThat(moved).isTrue();
            assertThat(refused).as("a cancelled task does not go in flight").isFalse();
            assertThat(store.events(before, 100)).as("only the move made is journaled, once")
                    .filteredOn(e -> e.kind() == dev.rulemux.board.Journal.Kind.TRANSITION)
                    .singleElement().satisfies(e -> {
                        assertThat(e.detail()).isEqualTo("a PENDING -> CANCELLED: not wanted");
                        assertThat(e.agent()).isEqualTo("gamma");
                        assertThat(e.task()).isEqualTo("a");
                    });
        }
    }

    @Test
    void givenAMoveWithItsJournalEntry_whenTheTransactionIsUndone_thenNeitherTheMoveNorTheEventRemains() throws Exception {
        try (StateStore store = StateStore.open(dir)) {
            store.declare(List.of(task("a")));
            long before = lastSeq(store);
            // the events table refuses any row: the journal write fails after the move was made in the transaction
            try (java.sql.Connection c = java.sql.DriverManager.getConnection("jdbc:sqlite:" + dir.resolve(StateStore.FILE));
                 java.sql.Statement st = c.createStatement()) {
                st.execute("CREATE TRIGGER refuse_events BEFORE INSERT ON events BEGIN SELECT RAISE(ABORT, 'no events'); END");
            }

            assertThatThrownBy(() -> store.move("a", TaskState.CANCELLED, null, "not wanted",
                    new dev.rulemux.board.TaskBoard.Entry(null, "a PENDING -> CANCELLED: not wanted")))
                    .hasMessageContaining("no events");

            assertThat(store.records()).singleElement().extracting(TaskRecord::state).isEqualTo(TaskState.PENDING);
            assertThat(store.events(before, 100)).isEmpty();
        }
    }

    private static long lastSeq(StateStore store) {
        List<dev.rulemux.board.Journal.Event> all = store.events(0, 100_000);
        return all.isEmpty() ? 0 : all.get(all.size() - 1).seq();
    }

    @Test
    void givenTasksReadOnce_whenNothingChanged_thenTheSameRowsAreGivenWithoutReadingThemAgain() {
        try (StateStore store = StateStore.open(dir)) {
            store.declare(List.of(task("a"), task("b")));
            List<TaskRecord> first = store.records();

            assertThat(store.records()).isSameAs(first);
            store.event(dev.rulemux.board.Journal.Kind.ALERT, null, null, "not about tasks");
            assertThat(store.records()).as("a write that is not to tasks").isSameAs(first);
        }
    }

    @Test
    void givenTasksReadOnce_whenThisStoreChangesOne_thenTheNextReadHasTheChange() {
        try (StateStore store = StateStore.open(dir)) {
            store.declare(List.of(task("a"), task("b")));
            store.records();

            store.move("a", TaskState.CANCELLED, null, "not wanted");

            assertThat(store.records()).filteredOn(r -> r.id().equals("a")).singleElement()
                    .extracting(TaskRecord::state).isEqualTo(TaskState.CANCELLED);
        }
    }

    @Test
    void givenTasksReadOnce_whenAnotherProcessAddsOne_thenTheNextReadHasIt() {
        try (StateStore loop = StateStore.open(dir); StateStore cli = StateStore.open(dir)) {
            loop.declare(List.of(task("a")));
            assertThat(loop.records()).hasSize(1);

            cli.add(task("b"), "cli");

            assertThat(loop.records()).extracting(TaskRecord::id).containsExactly("a", "b");
        }
    }

    @Test
    void givenABigQueueReadOnce_whenOneRowMoves_thenTheNextReadHasItInPlaceAndEveryOtherRowAsItWas() {
        try (StateStore loop = StateStore.open(dir); StateStore cli = StateStore.open(dir)) {
            List<TaskSpec> specs = new ArrayList<>();
            for (int i = 0; i < 50; i++) {
                specs.add(task("t" + i));
            }
            loop.declare(specs);
            List<TaskRecord> before = loop.records();

            cli.move("t20", TaskState.CANCELLED, null, "from another process");
            loop.move("t30", TaskState.CANCELLED, null, "from this one");
            cli.add(task("late"), "cli");
            List<TaskRecord> after = loop.records();

            assertThat(after).extracting(TaskRecord::id).containsExactlyElementsOf(
                    java.util.stream.Stream.concat(before.stream().map(TaskRecord::id), java.util.stream.Stream.of("late")).toList());
            assertThat(after.get(20).state()).isEqualTo(TaskState.CANCELLED);
            assertThat(after.get(30).state()).isEqualTo(TaskState.CANCELLED);
            assertThat(after.get(10)).as("a row that did not move is the one read before").isSameAs(before.get(10));
            try (StateStore fresh = StateStore.open(dir)) {
                assertThat(after).as("what a fresh read gives").isEqualTo(fresh.records());
            }
        }
    }

    // ------------------------------------------------------------------------------------------ opening

    @Test
    void aFreshFileIsMigratedAndMarkedAsRulemuxsState() throws Exception {
        try (StateStore store = StateStore.open(dir)) {
            assertThat(store.schemaVersion()).isEqualTo(Schema.latest());
        }

        assertThat(pragma(stateFile(), "application_id")).isEqualTo(0x526D7578L);
        assertThat(pragma(stateFile(), "user_version")).isEqualTo(Schema.latest());
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + stateFile()); Statement s = c.createStatement();
             ResultSet r = s.executeQuery("PRAGMA journal_mode")) {
            assertThat(r.next() ? r.getString(1) : "").isEqualTo("wal");
        }
    }

    @Test
    void reopeningKeepsWhatWasWritten() {
        try (StateStore store = StateStore.open(dir)) {
            store.add(task("a"), "cli");
        }

        try (StateStore store = StateStore.open(dir)) {
            assertThat(store.records()).extracting(TaskRecord::id).containsExactly("a");
            assertThat(store.schemaVersion()).isEqualTo(Schema.latest());
        }
    }

    @Test
    void theIsolationATaskAsksForRoundTripsThroughTheFileAndOntoItsTaskFact() {
        // given a task asking for a worktree, one asking for the shared checkout, and one asking for nothing
        try (StateStore store = StateStore.open(dir)) {
            for (var t : List.of(withIsolation(task("w"), IsolationMode.WORKTREE), withIsolation(task("n"), IsolationMode.NONE), task("any"))) {
                store.add(t, "cli");
            }
        }
        // when the state is opened again
        try (StateStore store = StateStore.open(dir)) {
            // then each asks for what it asked for, as declared and as the policy sees it
            assertThat(store.records()).extracting(r -> r.spec().isolation())
                    .containsExactly(IsolationMode.WORKTREE, IsolationMode.NONE, null);
            assertThat(dev.rulemux.board.TaskRecords.facts(store.records(), 0)).extracting(dev.rulemux.domain.Task::isolation)
                    .containsExactly(IsolationMode.WORKTREE, IsolationMode.NONE, null);
        }
    }

    private static TaskSpec withIsolation(TaskSpec t, IsolationMode mode) {
        return new TaskSpec(t.id(), t.title(), t.complexity(), t.priority(), t.prompt(), t.promptFile(), t.dependsOn(),
                t.verify(), t.files(), t.maxAttempts(), t.line(), mode);
    }

    @Test
    void aFileThatIsNotSqliteIsRefusedAndLeftUntouched() throws Exception {
        Files.createDirectories(stateFile().getParent());
        byte[] text = "my notes, not a database\n".repeat(100).getBytes(StandardCharsets.UTF_8);
        Files.write(stateFile(), text);

        assertThatThrownBy(() -> StateStore.open(dir)).isInstanceOf(StoreException.class)
                .hasMessageStartingWith(stateFile() + " is not a SQLite database");

        assertThat(digest(stateFile())).isEqualTo(digest(text));
        assertThat(Files.list(stateFile().getParent())).containsExactly(stateFile());
    }

    @Test
    void aSqliteDatabaseOfAnotherApplicationIsRefusedAndLeftUntouched() throws Exception {
        Files.createDirectories(stateFile().getParent());
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + stateFile()); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE photos (id INTEGER PRIMARY KEY, name TEXT)");
            s.execute("INSERT INTO photos (name) VALUES ('cat.jpg')");
        }
        String before = digest(stateFile());

        assertThatThrownBy(() -> StateStore.open(dir)).isInstanceOf(StoreException.class)
                .hasMessageStartingWith(stateFile() + " is a SQLite database, but not rulemux's state");

        assertThat(digest(stateFile())).isEqualTo(before);
        assertThat(Files.list(stateFile().getParent())).containsExactly(stateFile());
    }

    @Test
    void aCorruptedStateIsRefusedAndLeftUntouched() throws Exception {
        try (StateStore store = StateStore.open(dir)) {
            for (int i = 0; i < 200; i++) {
                store.add(new TaskSpec("t" + i, "task " + i, Tier.LOW, Priority.LOW, "x".repeat(500) + i, null, List.of(), null,
                        List.of(), 3, 0), "cli");
                store.event(Journal.Kind.INFO, null, "t" + i, "event " + "y".repeat(300));
            }
        }
        byte[] bytes = Files.readAllBytes(stateFile());
        assertThat(bytes.length).isGreaterThan(100_000);
        byte[] garbage = new byte[8192];
        new Random(7).nextBytes(garbage);
        System.arraycopy(garbage, 0, bytes, bytes.length / 2, garbage.length);
        Files.write(stateFile(), bytes);

        assertThatThrownBy(() -> StateStore.open(dir)).isInstanceOf(StoreException.class)
                .hasMessageStartingWith(stateFile() + " is corrupt").hasMessageContaining("rulemux will not reset it");

        assertThat(digest(stateFile())).isEqualTo(digest(bytes));
    }

    @Test
    void aStateWrittenByANewerRulemuxIsRefused() throws Exception {
        StateStore.open(dir).close();
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + stateFile()); Statement s = c.createStatement()) {
            s.execute("PRAGMA user_version = " + (Schema.latest() + 1));
        }
        String before = digest(stateFile());

        assertThatThrownBy(() -> StateStore.open(dir)).isInstanceOf(StoreException.class)
                .hasMessage(stateFile() + " was written by a newer rulemux (schema " + (Schema.latest() + 1)
                        + ", this one knows up to " + Schema.latest() + "): upgrade rulemux");
        assertThat(digest(stateFile())).isEqualTo(before);
    }

    // ------------------------------------------------------------------------------------------ transitions

    /** Brings a new task {@code id} to {@code state} through allowed transitions. */
    private static void bring(StateStore store, String id, TaskState state) {
        store.add(task(id), "cli");
        switch (state) {
            case PENDING -> { }
            case BLOCKED, CANCELLED -> assertThat(store.move(id, state, null, "there")).isTrue();
            default -> {
                assertThat(store.delivered(id, "a", 1000, null)).isTrue();
                if (state != TaskState.ASSIGNED) {
                    assertThat(store.move(id, state, "a", "there")).isTrue();
                }
            }
        }
        assertThat(store.record(id).orElseThrow().state()).isEqualTo(state);
    }

    @Test
    void aTransitionTheStateMachineDoesNotAllowChangesNothing() {
        List<String> tried = new ArrayList<>();
        try (StateStore store = StateStore.open(dir)) {
            for (TaskState from : TaskState.values()) {
                for (TaskState to : TaskState.values()) {
                    if (from.canMoveTo(to)) {
                        continue;
                    }
                    String id = from + "-" + to;
                    bring(store, id, from);
                    TaskRecord before = store.record(id).orElseThrow();
                    long events = store.mark().lastEvent();

                    boolean moved = store.move(id, to, "b", "not allowed");

                    assertThat(moved).as(id).isFalse();
                    assertThat(store.record(id)).as(id).contains(before);
                    assertThat(store.mark().lastEvent()).as(id).isEqualTo(events);
                    tried.add(id);
                }
            }
            assertThat(store.move("no-such-task", TaskState.CANCELLED, null, "x")).isFalse();
        }
        assertThat(tried).contains("PENDING-COMPLETED", "COMPLETED-PENDING", "FAILED-COMPLETED", "CANCELLED-ASSIGNED",
                "VERIFYING-IN_PROGRESS", "PENDING-PENDING");
    }

    @Test
    void onlyAFailedBlockedOrCancelledTaskIsRetried() {
        try (StateStore store = StateStore.open(dir)) {
            for (TaskState from : TaskState.values()) {
                String id = "retry-" + from;
                bring(store, id, from);
                TaskRecord before = store.record(id).orElseThrow();

                boolean retried = store.retry(id, "again");

                boolean allowed = from == TaskState.FAILED || from == TaskState.BLOCKED || from == TaskState.CANCELLED;
                assertThat(retried).as(id).isEqualTo(allowed);
                if (allowed) {
                    TaskRecord after = store.record(id).orElseThrow();
                    assertThat(after.state()).isEqualTo(TaskState.PENDING);
                    assertThat(after.attempts()).isZero();
                    assertThat(after.note()).isEqualTo("again");
                } else {
                    assertThat(store.record(id)).as(id).contains(before);
                }
            }
        }
    }

    // ------------------------------------------------------------------------------------------ deliveries, reports, checks

    @Test
    void aDeliveryRecordRoundTripsThroughTheFile() {
        try (StateStore store = StateStore.open(dir)) {
            store.add(task("t"), "cli");
            store.delivered("t", "codex", 5_000, "─ Worked for 1m 2s ─");
            store.enterPressed("t", 6_500);
            store.seenWorking("t");
        }

        try (StateStore store = StateStore.open(dir)) {
            TaskRecord r = store.record("t").orElseThrow();
            assertThat(r.state()).isEqualTo(TaskState.ASSIGNED);
            assertThat(r.agent()).isEqualTo("codex");
            assertThat(r.attempts()).isEqualTo(1);
            assertThat(r.startedAt()).isEqualTo(5_000);
            assertThat(r.delivery()).isEqualTo(new TaskRecord.DeliveryRecord("codex", 5_000, 2, 6_500, true, "─ Worked for 1m 2s ─"));
            assertThat(store.agentRows()).singleElement().satisfies(a -> {
                assertThat(a.promptsSent()).isEqualTo(1);
                assertThat(a.enterPresses()).isEqualTo(1);
            });

            store.move("t", TaskState.VERIFYING, null, "done");

            assertThat(store.record("t").orElseThrow().delivery()).isNull();
            assertThat(store.record("t").orElseThrow().agent()).isEqualTo("codex");
        }
    }

    @Test
    void aDeliveryWithoutAFinishedLineRoundTripsAsNull() {
        try (StateStore store = StateStore.open(dir)) {
            store.add(task("t"), "cli");
            store.delivered("t", "gemini", 7, null);
        }
        try (StateStore store = StateStore.open(dir)) {
            assertThat(store.record("t").orElseThrow().delivery())
                    .isEqualTo(new TaskRecord.DeliveryRecord("gemini", 7, 1, 7, false, null));
        }
    }

    @Test
    void aReportIsPutBeforeThePolicyUntilConsumedAndThenNeverAgain() {
        try (StateStore store = StateStore.open(dir)) {
            store.add(task("a"), "cli");
            store.add(task("b"), "cli");
            store.report("a", ReportOutcome.DONE, "all green", "codex", 10);
            store.report("b", ReportOutcome.BLOCKED, null, null, 11);

            List<Report> open = store.reports();
            assertThat(open).extracting(Report::task, Report::outcome, Report::note, Report::agent)
                    .containsExactly(org.assertj.core.groups.Tuple.tuple("a", ReportOutcome.DONE, "all green", "codex"),
                            org.assertj.core.groups.Tuple.tuple("b", ReportOutcome.BLOCKED, "", null));

            store.consumed(open.get(0).seq());
            store.consumed(open.get(0).seq());

            assertThat(store.reports()).extracting(Report::task).containsExactly("b");
            assertThat(store.openReports()).extracting(InboxStore.ReportRow::task, InboxStore.ReportRow::at)
                    .containsExactly(org.assertj.core.groups.Tuple.tuple("b", 11L));
        }
        try (StateStore store = StateStore.open(dir)) {
            assertThat(store.reports()).extracting(Report::task).containsExactly("b");
        }
    }

    @Test
    void verificationsAreThoseOfTheCurrentAttemptOfTasksBeingVerified() {
        try (StateStore store = StateStore.open(dir)) {
            store.add(verified("checked"), "cli");
            store.add(verified("working"), "cli");
            store.delivered("checked", "a", 100, null);
            store.delivered("working", "b", 100, null);
            store.verified(new Verification("working", 1, true, 0, ""), 150);
            assertThat(store.verifications()).as("a task not being verified").isEmpty();

            store.move("checked", TaskState.VERIFYING, null, "reported done");
            store.verified(new Verification("checked", 0, true, 0, "stale"), 190);
            assertThat(store.verifications()).as("a result of an earlier attempt").isEmpty();

            store.verified(new Verification("checked", 1, false, 1, "1 test failed"), 200);
            assertThat(store.verifications()).containsExactly(new Verification("checked", 1, false, 1, "1 test failed"));
            assertThat(store.lastFailure("checked")).contains("1 test failed");

            store.move("checked", TaskState.PENDING, null, "check failed");
            store.delivered("checked", "a", 300, null);
            store.move("checked", TaskState.VERIFYING, null, "reported done again");
            assertThat(store.verifications()).as("attempt 2 has no result yet").isEmpty();

            store.verified(new Verification("checked", 2, true, 0, "ok"), 400);
            assertThat(store.verifications()).containsExactly(new Verification("checked", 2, true, 0, "ok"));
            assertThat(store.lastFailure("checked")).isEmpty();
        }
    }

    @Test
    void aRetriedTaskStartsOverWithoutTheResultsOfItsEarlierRound() {
        try (StateStore store = StateStore.open(dir)) {
            store.add(verified("t"), "cli");
            store.delivered("t", "a", 100, null);
            store.move("t", TaskState.VERIFYING, null, "done");
            store.verified(new Verification("t", 1, false, 2, "broken"), 200);
            store.move("t", TaskState.FAILED, null, "out of attempts");

            store.retry("t", "a person fixed the build");
            store.delivered("t", "a", 300, null);
            store.move("t", TaskState.VERIFYING, null, "done again");

            assertThat(store.record("t").orElseThrow().attempts()).isEqualTo(1);
            assertThat(store.verifications()).as("attempt 1 of the earlier round is not this round's").isEmpty();
        }
    }

    @Test
    void anAgentsStateRoundTripsWithOrWithoutAContextMeterAndATask() {
        List<Journal.AgentState> states = List.of(
                new Journal.AgentState("idle", dev.rulemux.domain.Status.IDLE, "empty box", null, 35, 1, 2, List.of("> ")),
                new Journal.AgentState("busy", dev.rulemux.domain.Status.WORKING, "marker", "t1", null, 3, 4, List.of()),
                new Journal.AgentState("full", dev.rulemux.domain.Status.WORKING, "marker", "t2", 0, 5, 6, List.of("a", "b")),
                new Journal.AgentState("gone", dev.rulemux.domain.Status.EXITED, "shell", null, null, 7, 8, List.of()));
        try (StateStore store = StateStore.open(dir)) {
            states.forEach(store::agent);
        }

        try (StateStore store = StateStore.open(dir)) {
            assertThat(store.agents()).containsExactlyElementsOf(states);
        }
    }

    @Test
    void theTimesTheStoreRecordsComeFromTheClockItWasOpenedWith() throws Exception {
        // given a store opened with a clock standing at the start of 2001 (far from the machine's time)
        java.time.Clock clock = java.time.Clock.fixed(java.time.Instant.parse("2001-01-01T00:00:00Z"), java.time.ZoneOffset.UTC);
        long then = clock.millis();
        try (StateStore store = StateStore.open(dir, clock)) {
            // when a task is added and cancelled, an event journaled, and a report acted on
            store.add(task("t1"), "cli");
            store.move("t1", TaskState.CANCELLED, null, "not needed");
            store.event(Journal.Kind.INFO, null, "t1", "a note");
            store.report("t1", ReportOutcome.DONE, "", "gamma", 5);
            store.consumed(store.reports().get(0).seq());

            // then every time the store recorded itself is the clock's
            TaskRecord t1 = store.record("t1").orElseThrow();
            assertThat(List.of(t1.createdAt(), t1.pendingSince(), t1.updatedAt(), t1.finishedAt())).containsOnly(then);
            assertThat(store.lastEvents(10)).extracting(Journal.Event::at).containsOnly(then);
        }
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + stateFile()); Statement s = c.createStatement();
             ResultSet r = s.executeQuery("SELECT consumed_at FROM reports")) {
            assertThat(r.next()).isTrue();
            assertThat(r.getLong(1)).isEqualTo(then);
        }
    }

    // ------------------------------------------------------------------------------------------ journal and marks

    @Test
    void eventsOfATaskAndOfSomeKindsAreTheNewestOnesOldestFirst() {
        try (StateStore store = StateStore.open(dir)) {
            for (int i = 0; i < 5; i++) {
                store.event(Journal.Kind.INFO, null, "a", "info " + i);
                store.event(Journal.Kind.ALERT, "x", "b", "alert " + i);
            }

            assertThat(store.lastEvents(2, "a", Set.of())).extracting(Journal.Event::detail).containsExactly("info 3", "info 4");
            assertThat(store.lastEvents(3, null, Set.of(Journal.Kind.ALERT))).extracting(Journal.Event::detail)
                    .containsExactly("alert 2", "alert 3", "alert 4");
            assertThat(store.lastEvents(100, "b", Set.of(Journal.Kind.INFO))).isEmpty();
        }
    }

    @Test
    void theMarkChangesWithEveryKindOfChangeAndOnlyThen() {
        try (StateStore store = StateStore.open(dir)) {
            StateStore.Mark empty = store.mark();
            assertThat(store.mark()).isEqualTo(empty);

            store.add(task("a"), "cli");
            StateStore.Mark added = store.mark();
            store.records();
            assertThat(added).isNotEqualTo(empty).isEqualTo(store.mark());

            store.report("a", ReportOutcome.DONE, "", null, 1);
            StateStore.Mark reported = store.mark();
            store.consumed(store.reports().get(0).seq());
            StateStore.Mark consumed = store.mark();
            store.agent(new Journal.AgentState("x", dev.rulemux.domain.Status.IDLE, "idle", null, 3, 1, 2, List.of()));
            StateStore.Mark seen = store.mark();

            assertThat(List.of(empty, added, reported, consumed, seen)).doesNotHaveDuplicates();
        }
    }

    @Test
    void addAllAddsEveryTaskOrNoneWhenAnIdIsTaken() {
        try (StateStore store = StateStore.open(dir)) {
            store.add(task("b"), "tasks.yaml");

            assertThat(store.addAll(List.of(task("a"), task("b"), task("c")), "cli")).containsExactly("b");
            assertThat(store.records()).extracting(TaskRecord::id).containsExactly("b");

            assertThat(store.addAll(List.of(task("a"), task("c", "a")), "agent:codex")).isEmpty();
            assertThat(store.records()).extracting(TaskRecord::id, TaskRecord::source, TaskRecord::order).containsExactly(
                    org.assertj.core.groups.Tuple.tuple("b", "tasks.yaml", 0),
                    org.assertj.core.groups.Tuple.tuple("a", "agent:codex", 1),
                    org.assertj.core.groups.Tuple.tuple("c", "agent:codex", 2));
            assertThat(Map.of("a", store.lastEvents(1, "a", Set.of()).get(0).detail()))
                    .containsEntry("a", "added a (agent:codex): Title of a");
        }
    }

    @Test
    void givenAnotherConnectionHoldsTheWriteLockAChangeFailsTransientChangingNothingAndTheNextChangeIsWholeAndSucceeds()
            throws Exception {
        try (StateStore store = StateStore.open(dir)) {
            store.busyTimeout(java.time.Duration.ofMillis(100));
            try (Connection other = DriverManager.getConnection("jdbc:sqlite:" + store.file().toAbsolutePath())) {
                try (Statement s = other.createStatement()) {
                    s.execute("BEGIN EXCLUSIVE");
                }
                assertThatThrownBy(() -> store.add(task("a"), "cli")).isInstanceOfSatisfying(StoreException.class,
                        e -> assertThat(e.isTransient()).as("busy is worth retrying").isTrue());
                try (Statement s = other.createStatement()) {
                    s.execute("COMMIT");
                }
            }

            // when the lock is gone, the next change is made and reported made (not made and reported failed)
            assertThat(store.add(task("b"), "cli")).isTrue();
            assertThat(store.records()).extracting(TaskRecord::id).containsExactly("b");
            assertThat(store.add(task("a"), "cli")).isTrue();
            assertThat(store.records()).extracting(TaskRecord::id).containsExactly("b", "a");
        }
    }
}
