package dev.rulemux.cli;

import static dev.rulemux.ConfigDirs.TWO_SHELLS;
import static dev.rulemux.ConfigDirs.write;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rulemux.board.Journal;
import dev.rulemux.config.TaskSpec;
import dev.rulemux.domain.Priority;
import dev.rulemux.domain.ReportOutcome;
import dev.rulemux.domain.Status;
import dev.rulemux.domain.TaskState;
import dev.rulemux.domain.Tier;
import dev.rulemux.store.StateStore;
import dev.rulemux.text.TerminalText;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Terminal escapes written by agents (a task title, a report note, a state database any process of the user can
 * write) never reach the operator's terminal raw: every command that prints them shows them as visible escapes.
 */
class TerminalEscapesTest {

    /** An OSC 52 clipboard write, a screen clear and cursor moves, an 8-bit CSI, a bidi override. */
    static final String HOSTILE = "pwn \u001b]52;c;cm0gLXJmIH4=\u0007\u001b[2J\u001b[H\u001b[5A \u009b31m\u009d0;t\u009c \u202eexe.txt";

    @TempDir
    Path dir;

    String config;

    @BeforeEach
    void aConfigDirectoryWhoseTaskAnAgentTitledAndReportedOnWithEscapes() {
        write(dir, "agents.yaml", TWO_SHELLS);
        config = dir.toString();
        try (StateStore store = StateStore.open(dir)) {
            store.add(new TaskSpec("t1", "Title " + HOSTILE, Tier.HIGH, Priority.HIGH, "Do it " + HOSTILE, null, List.of(),
                    null, List.of(), 3, 0), "agent:alpha");
            store.delivered("t1", "alpha", System.currentTimeMillis(), null);
            store.report("t1", ReportOutcome.BLOCKED, "note " + HOSTILE, "alpha", System.currentTimeMillis());
            store.move("t1", TaskState.BLOCKED, null, "reported blocked by alpha: " + HOSTILE);
            store.event(Journal.Kind.REPORT, "alpha", "t1", "alpha reports t1 blocked: " + HOSTILE + "\nsecond line");
            store.agent(new Journal.AgentState("alpha", Status.WORKING, "reason " + HOSTILE, "t1" + HOSTILE, 42,
                    System.currentTimeMillis(), System.currentTimeMillis(), List.of("screen " + HOSTILE)));
        }
    }

    static boolean hasRawControl(String s) {
        return s.codePoints().anyMatch(cp -> cp != '\n' && cp != '\t' && TerminalText.unsafe(cp));
    }

    static void assertInert(Cli r) {
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(hasRawControl(r.out())).as(r.out()).isFalse();
        assertThat(hasRawControl(r.err())).as(r.err()).isFalse();
    }

    @Test
    void givenATitleWithEscapesWhenTheTasksAreListedThenTheyAreShownAsVisibleEscapes() {
        Cli r = Cli.run("task", "list", "--config", config);

        assertInert(r);
        assertThat(r.out()).contains("Title pwn \\x1b]52;c;cm0gLXJmIH4=\\x07\\x1b[2J\\x1b[H\\x1b[5A \\u009b31m");
    }

    @Test
    void givenATitleNoteAndEventsWithEscapesWhenTheTaskIsShownThenNoneReachesTheTerminal() {
        Cli r = Cli.run("task", "show", "t1", "--config", config);

        assertInert(r);
        assertThat(r.out()).contains("t1: Title pwn \\x1b]52", "(reported blocked by alpha: pwn \\x1b]52", "Do it pwn \\x1b]52",
                "alpha reports t1 blocked: pwn \\x1b]52");
    }

    @Test
    void givenEventsWithEscapesWhenTheJournalIsPrintedThenNoneReachesTheTerminal() {
        Cli r = Cli.run("events", "--config", config);

        assertInert(r);
        assertThat(r.out()).contains("alpha reports t1 blocked: pwn \\x1b]52;c;cm0gLXJmIH4=\\x07");
    }

    @Test
    void givenEscapesWhenPrintedAsJsonThenTheJsonIsValidHoldsNoRawControlAndReadsBackTheSame() throws Exception {
        ObjectMapper json = new ObjectMapper();
        for (List<String> command : List.of(List.of("events", "--json"), List.of("task", "list", "--json"),
                List.of("task", "show", "t1", "--json"), List.of("status", "--json"), List.of("export", "--out", "-"))) {
            List<String> args = new ArrayList<>(command);
            args.addAll(List.of("--config", config));
            Cli r = Cli.run(args.toArray(String[]::new));

            assertInert(r);
            List<String> texts = new ArrayList<>();
            for (String doc : command.get(0).equals("events") ? r.out().lines().toList() : List.of(r.out())) {
                texts(json.readTree(doc), texts);
            }
            assertThat(texts).as(String.join(" ", command)).anyMatch(t -> t.contains(HOSTILE));
        }
    }

    /** Every string value in {@code node}. */
    static void texts(JsonNode node, List<String> into) {
        if (node.isTextual()) {
            into.add(node.asText());
        }
        node.elements().forEachRemaining(n -> texts(n, into));
    }

    @Test
    void givenAStateDatabaseWithEscapesWhenTheStatusIsShownThenNoneReachesTheTerminal() {
        Cli r = Cli.run("status", "--config", config);

        assertInert(r);
        assertThat(r.out()).contains("t1pwn \\x1b]52");
    }

    @Test
    void givenATitleWithEscapesWhenATaskIsAddedThenTheEchoShowsThemAsVisibleEscapes() {
        Cli r = Cli.run("task", "add", "--id", "t2", "--title", "new " + HOSTILE, "--prompt", "p", "--config", config);

        assertInert(r);
        assertThat(r.out()).contains("from cli: new pwn \\x1b]52");
    }

    @Test
    void givenAScreenLineWithEscapesWhenADecisionIsExplainedThenNoneReachesTheTerminal() throws Exception {
        String screen = Files.readString(Path.of(ValidateAndDecideTest.SCREENS + "codex/finished.txt"), StandardCharsets.UTF_8)
                .replace("Worked for 2s", "Worked for 2s " + HOSTILE);
        Path file = write(dir, "screen.txt", screen);

        Cli table = Cli.run("decide", "--config", ValidateAndDecideTest.TEAM, "--screen", "codex=" + file, "--explain");
        Cli json = Cli.run("decide", "--config", ValidateAndDecideTest.TEAM, "--screen", "codex=" + file, "--explain", "--json");

        assertInert(table);
        assertThat(table.out()).contains("Worked for 2s pwn \\x1b]52");
        assertInert(json);
        assertThat(json.out()).contains("Worked for 2s pwn \\u001B]52");
    }

    @Test
    void givenATitleAndNoteWithEscapesWhenTheStatusDocumentIsWrittenThenItHoldsNoRawControl() throws Exception {
        Cli r = Cli.run("task", "add", "--id", "t2", "--title", "new " + HOSTILE, "--prompt", "p", "--config", config);

        assertInert(r);
        String doc = Files.readString(dir.resolve(dev.rulemux.store.StatusDocument.FILE), StandardCharsets.UTF_8);
        assertThat(hasRawControl(doc)).as(doc).isFalse();
        assertThat(doc).contains("| t2 | new pwn \\x1b]52");
    }
}
