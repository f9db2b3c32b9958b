package dev.rulemux.loop;

import static dev.rulemux.loop.SimTeam.agent;
import static org.assertj.core.api.Assertions.assertThat;

import dev.rulemux.App;
import dev.rulemux.Main;
import dev.rulemux.terminal.Pane;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** start, health, send, capture and stop, run as commands against a team of sim-agents in real tmux. */
class TeamCommandsIT {

    @TempDir
    Path dir;

    private record Run(int exit, String out, String err) {
    }

    private Run rulemux(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        List<String> argv = new java.util.ArrayList<>(List.of(args));
        argv.addAll(List.of("--config", dir.toString()));
        int code = Main.run(new App(Clock.systemUTC()), argv.toArray(String[]::new), new PrintWriter(out, true),
                new PrintWriter(err, true));
        return new Run(code, out.toString(), err.toString());
    }

    private SimTeam twoAgents() {
        return new SimTeam(dir, agent("alpha", "high") + agent("beta", "low"), "tasks: []\n");
    }

    @Test
    void startMakesOneWindowPerAgentAndIsIdempotent() {
        try (SimTeam team = twoAgents()) {
            Run first = rulemux("start");
            assertThat(first.exit()).as(first.out() + first.err()).isZero();
            assertThat(first.out()).contains("session simteam: started alpha, beta", "every agent is ready");
            List<Pane> panes = team.tmux().panes("simteam");
            assertThat(panes).extracting(Pane::window).containsExactly("alpha", "beta");

            Run again = rulemux("start", "--wait", "0s");
            assertThat(again.out()).contains("every agent was already running");
            assertThat(team.tmux().panes("simteam")).isEqualTo(panes);

            team.tmux().killWindow(panes.get(1).id());
            Run repair = rulemux("start", "--wait", "0s");
            assertThat(repair.out()).contains("started beta");
            assertThat(team.tmux().panes("simteam")).extracting(Pane::window).containsExactly("alpha", "beta");
            assertThat(team.tmux().panes("simteam").get(0).id()).as("alpha kept its pane").isEqualTo(panes.get(0).id());
        }
    }

    @Test
    void givenAgentsWithoutAWorkdir_whenStarted_thenTheyRunInTheWorkFolderMadeForThemNotInTheConfigDirectory() throws Exception {
        try (SimTeam team = twoAgents()) {
            assertThat(dir.resolve("work")).doesNotExist();

            Run start = rulemux("start");

            assertThat(start.exit()).as(start.out() + start.err()).isZero();
            Path work = dir.resolve("work").toRealPath();
            for (Pane p : team.tmux().panes("simteam")) {
                assertThat(java.nio.file.Files.readSymbolicLink(Path.of("/proc/" + p.pid() + "/cwd")))
                        .as(p.window() + "'s working directory").isEqualTo(work);
            }
        }
    }

    @Test
    void healthReportsAHealthyTeamAndWhatIsWrongOtherwise() {
        try (SimTeam team = twoAgents()) {
            assertThat(rulemux("health")).satisfies(r -> {
                assertThat(r.exit()).isEqualTo(1);
                assertThat(r.out()).contains("not running (start it with rulemux start)");
            });
            rulemux("start");

            Run healthy = rulemux("health");
            assertThat(healthy.exit()).as(healthy.out()).isZero();
            assertThat(healthy.out()).containsPattern("alpha\\s+ok\\s+IDLE\\s+pane %\\d+ runs java").endsWith("healthy\n");

            Pane beta = team.tmux().panes("simteam").get(1);
            team.tmux().typeLiteral(beta.id(), "/exit");
            team.tmux().pressKeys(beta.id(), List.of("Enter"));
            SimTeam.await(dev.rulemux.Eventually.GENEROUS, "beta to exit", () -> team.tmux().panes("simteam").get(1).dead());

            Run sick = rulemux("health");
            assertThat(sick.exit()).isEqualTo(1);
            assertThat(sick.out()).containsPattern("beta\\s+FAIL\\s+EXITED\\s+pane %\\d+ is dead: its CLI ended").endsWith("unhealthy\n");
        }
    }

    @Test
    void sendDeliversAndSubmitsOnePromptAndCaptureShowsTheScreen() {
        try (SimTeam team = twoAgents()) {
            rulemux("start");

            Run sent = rulemux("send", "alpha", "please \"quote\" $(this) and `that`; Enter C-c [mock work=1s]");
            assertThat(sent.exit()).as(sent.out() + sent.err()).isZero();
            assertThat(sent.out()).startsWith("alpha: submitted (Enter pressed 1 time)");
            assertThat(team.prompts()).singleElement().satisfies(p -> assertThat(p.get("prompt").asText())
                    .isEqualTo("please \"quote\" $(this) and `that`; Enter C-c [mock work=1s]"));

            SimTeam.await(dev.rulemux.Eventually.GENEROUS, "the reply", () -> rulemux("capture", "alpha").out().contains("● Done: please"));
            assertThat(rulemux("capture", "alpha").out()).contains("✻ Worked for 1s");
            assertThat(rulemux("capture", "nobody").err()).contains("no agent named nobody");
        }
    }

    @Test
    void stopAsksEachCliToExitThenKillsTheSession() {
        try (SimTeam team = twoAgents()) {
            rulemux("start");
            List<ProcessHandle> clis = team.tmux().panes("simteam").stream()
                    .map(p -> ProcessHandle.of(p.pid()).orElseThrow()).toList();

            Run stop = rulemux("stop");

            assertThat(stop.exit()).isZero();
            assertThat(stop.out()).isEqualTo("session simteam stopped\n");
            assertThat(team.tmux().hasSession("simteam")).isFalse();
            assertThat(clis).noneMatch(ProcessHandle::isAlive);
            assertThat(rulemux("stop").out()).contains("is not running");
        }
    }

    @Test
    void aTaskAddedToTasksYamlDuringARunIsDoneAndABrokenEditIsReportedNotApplied() throws Exception {
        try (SimTeam team = new SimTeam(dir, agent("alpha", "low"), "tasks:\n  - {id: t1, complexity: low, prompt: \"one [mock work=1s]\"}\n")) {
            RunLoop loop = team.loop(RunLoop.Options.run(false, false, Duration.ofMillis(150)));
            team.runInBackground(loop);
            SimTeam.await(dev.rulemux.Eventually.GENEROUS, "t1 done", () -> team.log("orchestration.log").contains("t1 IN_PROGRESS -> COMPLETED"));

            dev.rulemux.ConfigDirs.write(dir, "tasks.yaml", "tasks:\n  - {id: t1, complexity: low, prompt: \"one\"}\n  - {id: t2, complexity: lowww}\n");
            SimTeam.await(dev.rulemux.Eventually.GENEROUS, "the broken edit reported", () -> team.console.toString()
                    .contains("edit not applied, the previous configuration keeps running: " + dir.resolve("tasks.yaml") + ":3"));

            dev.rulemux.ConfigDirs.write(dir, "tasks.yaml", "tasks:\n  - {id: t1, complexity: low, prompt: \"one\"}\n"
                    + "  - {id: t2, complexity: low, prompt: \"two [mock work=1s]\"}\n");
            SimTeam.await(dev.rulemux.Eventually.GENEROUS, "t2 done", () -> team.log("orchestration.log").contains("t2 IN_PROGRESS -> COMPLETED"));

            assertThat(team.prompts()).hasSize(2);
            assertThat(loop.board().tasks()).extracting(t -> t.id() + ":" + t.state()).containsExactly("t1:COMPLETED", "t2:COMPLETED");
        }
    }
}
