package dev.rulemux.loop;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rulemux.domain.Status;
import dev.rulemux.domain.TaskState;
import dev.rulemux.store.HookSpool;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Specifies how the loop takes the agents' hook events: read from the spool at every tick, put before the policy. */
class HookFeedTest {

    private static final RunLoop.Options RUN = RunLoop.Options.run(false, false, Duration.ofMillis(250));

    @TempDir
    Path dir;

    @Test
    void givenATurnThatEndsBetweenTwoCaptures_whenItsHooksReachTheSpool_thenTheNextTickCompletesTheTask() throws Exception {
        try (FakeTeam team = new FakeTeam(dir, "  - {name: claude, profile: claude-code, command: claude, tier: high}\n",
                "tasks:\n  - {id: t1, complexity: high, prompt: \"Design the schema\"}\n")) {
            Files.createDirectories(dir.resolve(".rulemux"));
            HookSpool spool = HookSpool.of(dir);
            team.terminal.shows("claude", "claude-code/idle");
            RunLoop loop = team.loop(RUN);
            for (int i = 0; i < 10 && loop.board().record("t1").orElseThrow().state() == TaskState.PENDING; i++) {
                team.tickAfter(loop, Duration.ofSeconds(2));
            }
            assertThat(loop.board().record("t1").orElseThrow().state()).isEqualTo(TaskState.ASSIGNED);
            assertThat(team.terminal.pasted("claude")).hasSize(1);

            // the whole turn happens between two captures: the screen never shows it at work, so alone it proves nothing
            team.tickAfter(loop, Duration.ofMillis(250));
            assertThat(loop.board().record("t1").orElseThrow().state()).isEqualTo(TaskState.ASSIGNED);
            team.time.passes(Duration.ofMillis(100));
            spool.append("claude", "UserPromptSubmit", team.time.millis());
            team.time.passes(Duration.ofMillis(100));
            spool.append("claude", "Stop", team.time.millis());
            team.tickAfter(loop, Duration.ofMillis(250));

            assertThat(loop.board().record("t1").orElseThrow().state()).isEqualTo(TaskState.COMPLETED);
            assertThat(loop.statuses()).containsEntry("claude", Status.IDLE);
        }
    }

    @Test
    void givenAPromptSubmittedHook_whenTheScreenStillLooksIdle_thenTheAgentIsWorkingUntilTheGraceIsOver() throws Exception {
        try (FakeTeam team = new FakeTeam(dir, "  - {name: claude, profile: claude-code, command: claude, tier: high}\n",
                "tasks:\n  - {id: t1, complexity: high, prompt: \"a\"}\n  - {id: t2, complexity: high, prompt: \"b\"}\n")) {
            Files.createDirectories(dir.resolve(".rulemux"));
            team.terminal.shows("claude", "claude-code/idle");
            HookSpool.of(dir).append("claude", "UserPromptSubmit", team.time.millis());
            RunLoop loop = team.loop(RUN);

            team.tickAfter(loop, Duration.ofMillis(250));

            assertThat(loop.statuses()).containsEntry("claude", Status.WORKING);

            // no Stop hook came (a turn interrupted with Esc): past hook_grace the idle screen wins
            team.tickAfter(loop, Duration.ofSeconds(6));
            assertThat(loop.statuses()).containsEntry("claude", Status.IDLE);
        }
    }
}
