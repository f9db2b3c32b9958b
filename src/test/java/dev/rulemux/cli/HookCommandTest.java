package dev.rulemux.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rulemux.App;
import dev.rulemux.domain.HookEvent;
import dev.rulemux.domain.HookKind;
import dev.rulemux.proc.Exec;
import dev.rulemux.store.HookSpool;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Specifies {@code rulemux hook EVENT}: an agent CLI's hook event reaches the spool, and nothing fails the CLI. */
class HookCommandTest {

    @TempDir
    Path dir;

    private Cli hook(String agent, String... args) {
        App app = new App(Clock.fixed(Instant.ofEpochMilli(1234), ZoneOffset.UTC),
                Map.of("RULEMUX_AGENT", agent, "RULEMUX_CONFIG", dir.toString()));
        String[] argv = new String[args.length + 1];
        argv[0] = "hook";
        System.arraycopy(args, 0, argv, 1, args.length);
        return Cli.run(app, argv);
    }

    @Test
    void a_claude_code_stop_hook_lands_in_the_spool() throws Exception {
        Files.createDirectories(dir.resolve(".rulemux"));
        HookSpool loop = HookSpool.of(dir);
        loop.read(false);

        Cli cli = hook("claude", "Stop");

        assertThat(cli.exit()).isZero();
        assertThat(cli.out() + cli.err()).isEmpty();
        assertThat(loop.read(false)).containsExactly(new HookEvent("claude", HookKind.TURN_ENDED, "Stop", 1234));
    }

    @Test
    void codex_notify_gives_its_event_as_a_json_argument() throws Exception {
        Files.createDirectories(dir.resolve(".rulemux"));
        HookSpool loop = HookSpool.of(dir);
        loop.read(false);

        hook("codex", "notify", "{\"type\":\"agent-turn-complete\",\"turn-id\":\"1\",\"last-assistant-message\":\"Done\"}");

        assertThat(loop.read(false)).containsExactly(new HookEvent("codex", HookKind.TURN_ENDED, "agent-turn-complete", 1234));
    }

    /** What Codex 0.171 passes to notify when its own side turn that titles the session ends (recorded). */
    static final String CODEX_TITLE_TURN = "{\"type\":\"agent-turn-complete\",\"thread-id\":\"01a2378f-bcdf\","
            + "\"turn-id\":\"01a2378f-bd02\",\"cwd\":\"/work\",\"client\":\"codex-tui\",\"input-messages\":[\"Generate a "
            + "concise, single-line task title of at most 36 characters and under five words where possible.\\n\\nUser "
            + "prompt:\\n[rulemux task d] d\"],\"last-assistant-message\":\"Run it\"}";

    @Test
    void given_codex_notifying_the_end_of_its_own_title_turn_then_nothing_lands_in_the_spool_for_the_agents_turn_goes_on()
            throws Exception {
        Files.createDirectories(dir.resolve(".rulemux"));
        HookSpool loop = HookSpool.of(dir);
        loop.read(false);

        Cli cli = hook("codex", "notify", CODEX_TITLE_TURN);

        assertThat(cli.exit()).isZero();
        assertThat(loop.read(false)).isEmpty();
        assertThat(dir.resolve(".rulemux/hook-errors.log")).doesNotExist();
    }

    @Test
    void given_a_jvm_that_reached_the_spool_late_then_its_line_is_stamped_when_the_cli_ran_the_hook() {
        long started = ProcessHandle.current().info().startInstant().orElseThrow().toEpochMilli();
        long late = started + 3_000;

        assertThat(HookCommand.calledAt(late)).as("the process's start, not when it got to write").isEqualTo(started);
        assertThat(HookCommand.calledAt(1234)).as("a clock before the start (a test's fixed clock) is kept").isEqualTo(1234);
    }

    @Test
    void a_bad_event_exits_0_quietly_and_is_logged() throws Exception {
        Files.createDirectories(dir.resolve(".rulemux"));

        Cli unknown = hook("claude", "Bogus");
        Cli badJson = hook("codex", "notify", "not json");
        Cli badAgent = hook("../x", "Stop");

        assertThat(List.of(unknown.exit(), badJson.exit(), badAgent.exit())).containsOnly(0);
        assertThat(unknown.out() + unknown.err() + badJson.err() + badAgent.err()).isEmpty();
        assertThat(Files.readString(dir.resolve(".rulemux/hook-errors.log")))
                .contains("hook Bogus", "hook notify", "\"../x\"");
        assertThat(HookSpool.of(dir).read(true)).isEmpty();
    }

    @Test
    void without_a_state_folder_it_exits_0_and_makes_nothing() {
        assertThat(hook("claude", "Stop").exit()).isZero();
        assertThat(dir.resolve(".rulemux")).doesNotExist();
    }

    @Test
    void the_launchers_fast_path_writes_the_same_lines_without_a_jvm() throws Exception {
        Path launcher = Path.of("rulemux").toAbsolutePath();
        Files.createDirectories(dir.resolve(".rulemux"));
        HookSpool loop = HookSpool.of(dir);
        loop.read(false);
        Map<String, String> env = Map.of("RULEMUX_AGENT", "claude", "RULEMUX_CONFIG", dir.toString());

        Exec.Result stop = Exec.run(Exec.Call.of(List.of(launcher.toString(), "hook", "Stop"), Duration.ofSeconds(20)).in(dir).withEnv(env));
        Exec.Result codex = Exec.run(Exec.Call.of(List.of(launcher.toString(), "hook", "notify",
                "{\"type\":\"agent-turn-complete\"}"), Duration.ofSeconds(20)).in(dir).withEnv(env));
        Exec.Result bad = Exec.run(Exec.Call.of(List.of(launcher.toString(), "hook", "Bogus"), Duration.ofSeconds(20)).in(dir).withEnv(env));
        Exec.Result title = Exec.run(Exec.Call.of(List.of(launcher.toString(), "hook", "notify", CODEX_TITLE_TURN),
                Duration.ofSeconds(20)).in(dir).withEnv(env));

        assertThat(List.of(stop.exitCode(), codex.exitCode(), bad.exitCode(), title.exitCode())).containsOnly(0);
        assertThat(loop.read(false)).extracting(HookEvent::agent, HookEvent::kind, HookEvent::event).containsExactly(
                org.assertj.core.groups.Tuple.tuple("claude", HookKind.TURN_ENDED, "Stop"),
                org.assertj.core.groups.Tuple.tuple("claude", HookKind.TURN_ENDED, "agent-turn-complete"));
        assertThat(Files.readString(dir.resolve(".rulemux/hook-errors.log"))).contains("hook Bogus");
    }
}
