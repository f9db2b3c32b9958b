package dev.rulemux.loop;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rulemux.App;
import dev.rulemux.ConfigDirs;
import dev.rulemux.config.Config;
import dev.rulemux.config.ConfigLoader;
import dev.rulemux.terminal.FakeTerminal;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The team's session in a fake terminal, on a fake clock: starting is idempotent, stopping asks first, then ends it. */
class TeamTest {

    @TempDir
    Path dir;

    private final FakeTerminal terminal = new FakeTerminal();
    private final FakeTime time = new FakeTime();

    private Team team() {
        ConfigDirs.write(dir, "agents.yaml", """
                session: fake
                agents:
                  - {name: claude, profile: claude-code, command: claude, tier: high}
                  - {name: codex, profile: codex, command: codex, tier: high}
                """);
        ConfigDirs.write(dir, "tasks.yaml", "tasks: []\n");
        Config config = ConfigLoader.load(ConfigDirs.sources(dir));
        return new App(time, Map.of(), time).team(config, terminal);
    }

    @Test
    void givenNoSession_whenTheTeamStartsTwice_thenEachAgentIsLaunchedOnceAtTheClocksTime() {
        Team team = team();

        List<String> first = team.start();
        List<String> again = team.start();

        assertThat(first).containsExactly("claude", "codex");
        assertThat(again).isEmpty();
        assertThat(terminal.launched()).containsExactly("claude", "codex");
        assertThat(team.panes()).containsOnlyKeys("claude", "codex");
        assertThat(team.launchedAt()).containsEntry("claude", time.millis());
    }

    @Test
    void givenProfilesThatResume_whenAnAgentIsRestartedToResume_thenItsCommandCarriesTheResumeArgumentsBeforeTheHooks() {
        Team team = team();
        team.start();
        assertThat(terminal.argv("claude")).first().isEqualTo("claude");
        assertThat(terminal.argv("claude")).doesNotContain("--continue");

        team.restart(agent(team, "claude"), team.panes().get("claude"), true);
        team.restart(agent(team, "codex"), team.panes().get("codex"), true);

        assertThat(terminal.argv("claude").subList(0, 3)).containsExactly("claude", "--continue", "--settings");
        assertThat(terminal.argv("codex").subList(0, 4)).containsExactly("codex", "resume", "--last", "-c");
        assertThat(terminal.argv("codex").get(4)).startsWith("notify=[");
    }

    @Test
    void givenAnAgentRestartedAfresh_thenItsCommandIsTheFirstOnes() {
        Team team = team();
        team.start();
        List<String> first = terminal.argv("claude");

        team.restart(agent(team, "claude"), team.panes().get("claude"), false);

        assertThat(terminal.argv("claude")).isEqualTo(first);
    }

    private static dev.rulemux.config.AgentSpec agent(Team team, String name) {
        return team.config().team().agent(name).orElseThrow();
    }

    @Test
    void givenAgentsThatDoNotExit_whenTheTeamStops_thenEachIsAskedToExitAndTheSessionEndsAfterTheGraceOnTheClock() {
        Team team = team();
        team.start();

        List<String> stillRunning = team.stop(Duration.ofSeconds(10));

        assertThat(terminal.pasted("claude")).containsExactly("/exit");
        assertThat(terminal.pasted("codex")).containsExactly("/exit");
        assertThat(terminal.pressed("claude")).containsExactly(List.of("Enter"));
        assertThat(stillRunning).containsExactly("claude", "codex");
        assertThat(terminal.hasSession("fake")).isFalse();
        assertThat(time.slept()).isGreaterThanOrEqualTo(Duration.ofSeconds(10));
    }

    @Test
    void givenAgentsWhosePanesDie_whenTheTeamStops_thenItDoesNotWaitTheGrace() {
        Team team = team();
        team.start();
        terminal.dies("claude").dies("codex");

        List<String> stillRunning = team.stop(Duration.ofSeconds(10));

        assertThat(stillRunning).isEmpty();
        assertThat(terminal.pasted("claude")).as("a dead pane is not asked").isEmpty();
        assertThat(time.slept()).isLessThan(Duration.ofSeconds(10));
    }
}
