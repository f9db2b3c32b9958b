package dev.rulemux.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rulemux.board.Journal;
import dev.rulemux.config.TaskSpec;
import dev.rulemux.domain.Priority;
import dev.rulemux.domain.ReportOutcome;
import dev.rulemux.domain.Status;
import dev.rulemux.domain.TaskState;
import dev.rulemux.domain.Tier;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** ORCHESTRATION_STATUS.md: the seeds' hand-kept sections, rendered from the store, rewritten only when they change. */
class StatusDocumentTest {

    /** 2026-11-21 07:00:00 UTC */
    static final long T0 = Instant.parse("2026-11-21T07:00:00Z").toEpochMilli();

    @TempDir
    Path dir;

    StateStore store;
    final StatusDocument doc = new StatusDocument(ZoneOffset.UTC);

    @BeforeEach
    void open() {
        store = StateStore.open(dir);
    }

    @AfterEach
    void close() {
        store.close();
    }

    static TaskSpec task(String id, String title, Tier complexity, Priority priority) {
        return new TaskSpec(id, title, complexity, priority, "do " + id, null, List.of(), null, List.of(), 3, 0);
    }

    /** design done by claude in 12m 30s, api in progress on codex, docs pending, ui failed, old cancelled; claude seen. */
    void aTeamAtWork() {
        store.add(task("design", "Design | API", Tier.HIGH, Priority.HIGH), "tasks.yaml");
        store.add(task("api", "The API", Tier.MEDIUM, Priority.HIGH), "tasks.yaml");
        store.add(task("docs", "Docs", Tier.LOW, Priority.LOW), "cli");
        store.add(task("ui", "The UI", Tier.MEDIUM, Priority.MEDIUM), "cli");
        store.add(task("old", "Old", Tier.LOW, Priority.LOW), "cli");
        store.delivered("design", "claude", T0, null);
        store.move("design", TaskState.COMPLETED, null, "reported done by claude: schema\nwritten");
        store.delivered("api", "codex", T0 + 60_000, null);
        store.move("api", TaskState.IN_PROGRESS, null, "codex is at work on it");
        store.delivered("ui", "codex", T0, null);
        store.move("ui", TaskState.FAILED, null, "codex exited");
        store.move("old", TaskState.CANCELLED, null, "not needed");
        store.agent(new Journal.AgentState("claude", Status.IDLE, "its input box is empty", null, 35, T0 + 750_000, T0 + 800_000,
                List.of()));
        store.agent(new Journal.AgentState("codex", Status.WORKING, "working marker", "api", null, T0 + 61_000, T0 + 800_000,
                List.of()));
        store.event(Journal.Kind.REPORT, "claude", "design", "claude reports design done: schema written");
        store.event(Journal.Kind.ALERT, "codex", "ui", "ui failed: codex exited");
        store.event(Journal.Kind.STATUS, "codex", null, "codex IDLE -> WORKING: working marker");
    }

    @Test
    void theDocumentHasTheSeedsFourSectionsFromTheStore() {
        aTeamAtWork();

        String text = doc.render(store, List.of("claude", "codex", "gemini"));

        assertThat(text).startsWith("# Orchestration status\n\n")
                .contains("""

                        ## Task Assignment Queue

                        | Task | Title | Agent | Priority | Complexity | State | Since |
                        | --- | --- | --- | --- | --- | --- | --- |
                        | api | The API | codex | high | medium | IN_PROGRESS | 2026-11-21 07:01:00 |
                        """)
                .containsPattern("\\| docs \\| Docs \\| \\| low \\| low \\| PENDING \\| \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d \\|\n")
                .contains("""
                        ## Current LLM Status

                        | Agent | Status | Task | Context used | Since |
                        | --- | --- | --- | --- | --- |
                        | claude | IDLE | | 35% | 2026-11-21 07:12:30 |
                        | codex | WORKING | api | | 2026-11-21 07:01:01 |
                        | gemini | UNKNOWN | | | never seen by rulemux run |
                        """)
                .containsPattern("""
                        ## Inter-LLM Messages

                        - \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d claude reports design done: schema written
                        - \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d \\*\\*alert\\*\\* ui failed: codex exited
                        $""");
        String log = text.substring(text.indexOf("## Task Completion Log"), text.indexOf("## Current LLM Status"));
        assertThat(log).startsWith("""
                ## Task Completion Log

                | Task | Outcome | By | When | Duration | Note |
                | --- | --- | --- | --- | --- | --- |
                """).containsPattern("\\| design \\| COMPLETED \\| claude \\| [-\\d: ]+ \\| \\d+[hm] \\d+[ms] \\| reported done by claude: schema written \\|")
                .contains("| ui | FAILED | codex |").doesNotContain("old");
        assertThat(text).contains("| design | COMPLETED").doesNotContain("| design | Design");
        assertThat(text).as("a pipe in a cell is escaped").doesNotContain("Design | API");
    }

    @Test
    void givenAQueueRenderedOnce_whenATaskMoves_thenTheNextRenderingShowsItAsAFreshDocumentDoes() {
        // given a team at work, its document rendered once (its queue's rows made)
        aTeamAtWork();
        store.add(task("tests", "Tests\nfor the API", Tier.LOW, Priority.MEDIUM), "cli");
        doc.render(store, List.of("claude", "codex"));

        // when a pending task is started and another one is added
        store.delivered("docs", "claude", T0 + 900_000, null);
        store.move("docs", TaskState.IN_PROGRESS, null, "claude is at work on it");
        store.add(task("more", "More | work", Tier.LOW, Priority.LOW), "cli");
        String text = doc.render(store, List.of("claude", "codex"));

        // then the queue shows them as they are now, the rows that did not move as they were: as a fresh document does
        assertThat(text).isEqualTo(new StatusDocument(ZoneOffset.UTC).render(store, List.of("claude", "codex")))
                .contains("| docs | Docs | claude | low | low | IN_PROGRESS |", "| tests | Tests for the API |",
                        "| more | More \\| work |");
    }

    @Test
    void anEmptyStoreSaysSo() {
        String text = doc.render(store, List.of());

        assertThat(text).contains("No task is pending or in flight.", "No task has ended yet.", "No agent yet.",
                "None yet. Agents report with `rulemux report done|blocked TASK --note TEXT`.");
    }

    @Test
    void reportsNotYetActedOnAreMessagesToo() {
        store.add(task("t", "T", Tier.LOW, Priority.LOW), "cli");
        store.report("t", ReportOutcome.BLOCKED, "need the API key", "gemini", T0);

        assertThat(doc.render(store, List.of())).endsWith("- 2026-11-21 07:00:00 gemini reports t blocked: need the API key (not yet acted on)\n");
    }

    @Test
    void messagesAreTheNewestOnes() {
        for (int i = 0; i < StatusDocument.MESSAGE_LIMIT + 5; i++) {
            store.event(Journal.Kind.ALERT, null, null, "alert " + i);
        }

        String messages = doc.render(store, List.of()).split("## Inter-LLM Messages\n\n")[1];

        assertThat(messages.lines()).hasSize(StatusDocument.MESSAGE_LIMIT);
        assertThat(messages.lines().findFirst().orElseThrow()).endsWith("alert 5");
        assertThat(messages).endsWith("alert " + (StatusDocument.MESSAGE_LIMIT + 4) + "\n");
    }

    @Test
    void theFileIsWrittenWhenTheStateChangesAndOnlyThen() throws Exception {
        aTeamAtWork();
        Path file = dir.resolve(StatusDocument.FILE);

        assertThat(doc.writeIfChanged(store, dir)).isTrue();
        String first = Files.readString(file, StandardCharsets.UTF_8);
        Files.setLastModifiedTime(file, FileTime.fromMillis(T0));

        assertThat(doc.writeIfChanged(store, dir)).as("nothing changed").isFalse();
        assertThat(new StatusDocument(ZoneOffset.UTC).writeIfChanged(store, dir)).as("another process, nothing changed").isFalse();
        store.agent(new Journal.AgentState("codex", Status.WORKING, "working marker", "api", null, T0 + 61_000, T0 + 900_000,
                List.of("a new screen line")));
        assertThat(doc.writeIfChanged(store, dir)).as("a change the document does not show").isFalse();
        assertThat(Files.getLastModifiedTime(file).toMillis()).isEqualTo(T0);

        store.report("docs", ReportOutcome.DONE, "written", "gemini", T0);

        assertThat(doc.writeIfChanged(store, dir)).isTrue();
        assertThat(Files.readString(file, StandardCharsets.UTF_8)).isNotEqualTo(first).contains("gemini reports docs done: written");
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder(".rulemux", StatusDocument.FILE);
        }
    }

    @Test
    void aDeletedFileIsWrittenAgain() throws Exception {
        doc.writeIfChanged(store, dir);
        Files.delete(dir.resolve(StatusDocument.FILE));

        assertThat(doc.writeIfChanged(store, dir)).isTrue();
        assertThat(dir.resolve(StatusDocument.FILE)).exists();
    }

    @Test
    void writersInManyThreadsLeaveOneWholeDocumentOfTheLastState() throws Exception {
        aTeamAtWork();
        List<Thread> threads = new java.util.ArrayList<>();
        for (int i = 0; i < 8; i++) {
            int n = i;
            threads.add(new Thread(() -> {
                try (StateStore own = StateStore.open(dir)) {
                    own.add(task("n" + n, "New " + n, Tier.LOW, Priority.LOW), "cli");
                    new StatusDocument(ZoneOffset.UTC).writeIfChanged(own, dir);
                }
            }));
        }
        threads.forEach(Thread::start);
        for (Thread t : threads) {
            t.join();
        }

        String text = Files.readString(dir.resolve(StatusDocument.FILE), StandardCharsets.UTF_8);
        for (int i = 0; i < 8; i++) {
            assertThat(text).contains("| n" + i + " | New " + i + " |");
        }
        assertThat(text).isEqualTo(doc.render(store, List.of()));
    }

    @Test
    void givenADocumentHoldingAByteThatIsNotUtf8WhenTheStateChangesThenItIsRewrittenAndKeepsBeingRewritten() throws Exception {
        aTeamAtWork();
        Path file = dir.resolve(StatusDocument.FILE);
        doc.writeIfChanged(store, dir);
        byte[] broken = Files.readAllBytes(file);
        broken[10] = (byte) 0xFF; // an agent's edit left a byte that is not UTF-8
        Files.write(file, broken);

        store.add(task("later", "Later", Tier.LOW, Priority.LOW), "cli");
        boolean rewritten = doc.writeIfChanged(store, dir);
        store.add(task("last", "Last", Tier.LOW, Priority.LOW), "cli");
        boolean again = doc.writeIfChanged(store, dir);

        assertThat(rewritten).isTrue();
        assertThat(again).isTrue();
        assertThat(Files.readString(file, StandardCharsets.UTF_8)).isEqualTo(doc.render(store, List.of())).contains("| last | Last |");
    }
}
