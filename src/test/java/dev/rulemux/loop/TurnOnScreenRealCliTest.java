package dev.rulemux.loop;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rulemux.domain.TaskState;
import dev.rulemux.sim.RealClis.Cli;
import dev.rulemux.store.HookSpool;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The screen's own turn evidence (the profile's {@code turns:}), end to end with the real Gemini CLI against the mock
 * model server, with no hooks: a prompt answered at once, between two captures, still completes its task.
 */
@Tag("realcli")
class TurnOnScreenRealCliTest {

    /** Under /tmp (world-writable): Gemini CLI reads no system settings file there, so it runs none of rulemux's hooks. */
    @TempDir
    Path dir;

    @Test
    void givenGeminiCliWithoutHooks_whenALongTasksPromptIsAnsweredAtOnce_thenTheTaskIsCompletedAndItsDependantDispatched()
            throws Exception {
        assertThat(HookWiring.geminiReadsSystemFilesIn(dir)).as("Gemini CLI would run the hooks in " + dir).isFalse();
        try (RealTeam team = new RealTeam(dir, "Gemini CLI without hooks")) {
            // the user's case: over max_inline_bytes, so the agent is told to read a file; the mock model reads the
            // directive of that short message (the task's title) and answers at once
            team.real("gemini", Cli.GEMINI, "gemini", "high", "approvals: auto").write("tasks:\n"
                    + "  - {id: t1, title: \"Check the lines [mock work=0s]\", complexity: high, prompt: \""
                    + "Check this line. ".repeat(1_200) + "\"}\n"
                    + "  - {id: t2, complexity: high, depends_on: [t1], prompt: \"Say it is checked [mock work=1s]\"}\n");
            team.startAndAwaitReady();
            // Gemini CLI may draw its spinner for a second even for an answer at once, and a capture may catch it: so
            // that no capture can see the turn at work, as in the user's case, rulemux reads it with a copy of its profile
            // whose working marker (the spinner line) matches nothing
            String profile = Files.readString(Path.of("profiles/gemini.yaml"));
            String unseen = profile.replace("- 'esc to cancel'", "- 'NONSENSE-WORKING'");
            assertThat(unseen).contains("NONSENSE-WORKING").contains("turns: ");
            team.useProfile("gemini", "gemini-unseen", unseen);
            RunLoop loop = team.loop(RunLoop.Options.run(false, true, Duration.ofMillis(250)));

            assertThat(team.runToEnd(loop, Duration.ofMinutes(5))).as(team.console.toString()).isZero();

            assertThat(loop.board().record("t1").orElseThrow().state()).isEqualTo(TaskState.COMPLETED);
            assertThat(loop.board().record("t2").orElseThrow().state()).isEqualTo(TaskState.COMPLETED);
            assertThat(team.turns()).anySatisfy(t -> assertThat(t.prompt()).contains(".rulemux/prompts/"));
            String log = team.log("orchestration.log");
            assertThat(log).doesNotContain("no sign of working", "hook AfterAgent");
            Path spool = dir.resolve(HookSpool.FILE);
            assertThat(Files.exists(spool) ? Files.readString(spool) : "").doesNotContain("AfterAgent");
            assertThat(log).contains("t1 ASSIGNED -> COMPLETED: gemini's screen shows its turn over (a new answer since the "
                    + "prompt was delivered: ✦ ");
        }
    }
}
