package dev.rulemux.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rulemux.devtools.ScreenRecorder;
import dev.rulemux.devtools.ScreenRecorder.Target;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The options of record-screens; recording itself is tested against the real CLIs (ScreenRecorderRealCliTest). */
class RecordScreensCommandTest {

    @TempDir
    Path temp;

    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        CommandLine command = new CommandLine(new RecordScreensCommand());
        command.setErr(new PrintWriter(err, true));
        command.setOut(new PrintWriter(new StringWriter(), true));
        return command.execute(args);
    }

    @Test
    void an_unknown_scenario_is_bad_input_and_lists_the_known_ones() {
        // when
        int code = run("--out", temp.toString(), "--cli", "codex", "--only", "idle", "napping");

        // then
        assertThat(code).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(err.toString()).contains("unknown scenario napping").contains("idle").contains("context-90");
        assertThat(temp.resolve("codex")).doesNotExist();
    }

    @Test
    void a_scenario_the_chosen_cli_does_not_record_is_bad_input() {
        assertThat(run("--cli", "gemini", "--only", "rate-limited")).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(err.toString()).contains("unknown scenario rate-limited for gemini");
    }

    @Test
    void an_unknown_cli_is_bad_input() {
        assertThat(run("--cli", "aider")).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(err.toString()).contains("unknown --cli aider");
    }

    @Test
    void clis_are_named_by_executable_or_profile() {
        assertThat(Target.named("claude")).contains(Target.CLAUDE_CODE);
        assertThat(Target.named("claude-code")).contains(Target.CLAUDE_CODE);
        assertThat(Target.named("Codex")).contains(Target.CODEX);
        assertThat(Target.named("shell")).contains(Target.SHELL);
        assertThat(Target.named("amp")).isEmpty();
    }

    @Test
    void every_cli_records_the_status_scenarios() {
        for (Target target : new Target[] {Target.CLAUDE_CODE, Target.CODEX, Target.GEMINI}) {
            assertThat(ScreenRecorder.scenarios(target)).as(target.profile()).contains("idle", "trust-dialog",
                    "unsubmitted-long-prompt", "unsubmitted-short-prompt", "unsubmitted-paste", "working",
                    "working-second-turn", "streaming", "finished", "approval", "usage-limit", "exited",
                    "queued-while-working");
        }
        assertThat(ScreenRecorder.scenarios(Target.CLAUDE_CODE)).contains("context-98", "rate-limited")
                .doesNotContain("context-90");
        assertThat(ScreenRecorder.scenarios(Target.CODEX)).contains("context-90", "context-98", "rate-limited");
        assertThat(ScreenRecorder.scenarios(Target.GEMINI)).contains("context-compressed").doesNotContain("rate-limited");
        assertThat(ScreenRecorder.notRecorded(Target.GEMINI)).containsKey("rate-limited");
        assertThat(ScreenRecorder.scenarios(Target.SHELL)).containsExactly("idle", "typed-not-run", "running");
    }
}
