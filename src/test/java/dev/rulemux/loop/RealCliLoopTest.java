package dev.rulemux.loop;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rulemux.LiveScreen;
import dev.rulemux.board.MemoryTaskBoard;
import dev.rulemux.domain.Status;
import dev.rulemux.domain.Task;
import dev.rulemux.domain.TaskState;
import dev.rulemux.sim.MockRequest;
import dev.rulemux.sim.RealClis.Cli;
import dev.rulemux.terminal.Pane;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The run loop driving the real Claude Code and Codex (against the mock model server) and a sim-agent. */
@Tag("realcli")
class RealCliLoopTest {

    private static final Pattern TASK = Pattern.compile("\\[rulemux task (\\S+)]");

    @TempDir
    Path dir;

    @Test
    void aMixedTeamFinishesEveryTaskOnItsTierInDependencyOrder() throws Exception {
        String tasks = """
                tasks:
                  - {id: design, complexity: high, priority: high, prompt: "Design the API [mock work=2s]"}
                  - {id: schema, complexity: medium, priority: high, depends_on: [design], prompt: "Write the schema [mock work=2s]"}
                  - {id: lint, complexity: low, priority: high, prompt: "Lint everything [mock work=1s]"}
                  - {id: routes, complexity: medium, depends_on: [schema], prompt: "Write the routes [mock work=2s]"}
                  - {id: unit, complexity: low, depends_on: [schema], prompt: "Unit tests [mock work=1s tool=shell]"}
                  - {id: fixtures, complexity: low, priority: low, prompt: "Sample data [mock work=1s]"}
                  - {id: errors, complexity: medium, priority: low, prompt: "Error shapes [mock work=1s]"}
                  - {id: review, complexity: high, depends_on: [routes, unit], prompt: "Review it all [mock work=2s tool=shell]"}
                """;
        try (RealTeam team = new RealTeam(dir, "the real-CLI end-to-end run")) {
            team.real("claude", Cli.CLAUDE, "claude-code", "high", "approvals: auto")
                    .real("codex", Cli.CODEX, "codex", "medium", "approvals: auto")
                    .sim("fake", "low", "approvals: auto")
                    .write(tasks);
            team.startAndAwaitReady();
            RunLoop loop = team.loop(RunLoop.Options.run(false, true, Duration.ofMillis(250)));

            int exit = team.runToEnd(loop, Duration.ofMinutes(10));

            assertThat(exit).as(team.console.toString()).isZero();
            assertThat(loop.board().tasks()).allSatisfy(t -> assertThat(t.state()).isEqualTo(TaskState.COMPLETED));
            Map<String, String> tierOf = Map.of("claude", "high", "codex", "medium", "fake", "low");
            for (Task t : loop.board().tasks()) {
                assertThat(tierOf.get(loop.board().lastAgent(t.id()).orElseThrow())).as(t.id()).isEqualTo(t.complexity().label());
            }
            // each model-backed task reached the mock exactly once, in dependency order
            Map<String, Integer> order = new HashMap<>();
            List<MockRequest> turns = team.turns();
            for (int i = 0; i < turns.size(); i++) {
                Matcher m = TASK.matcher(turns.get(i).prompt());
                assertThat(m.find()).as(turns.get(i).prompt()).isTrue();
                assertThat(order.put(m.group(1), i)).as("%s sent twice", m.group(1)).isNull();
            }
            assertThat(order.keySet()).containsExactlyInAnyOrder("design", "schema", "routes", "errors", "review");
            assertThat(order.get("design")).isLessThan(order.get("schema"));
            assertThat(order.get("schema")).isLessThan(order.get("routes"));
            assertThat(order.get("routes")).isLessThan(order.get("review"));
            assertThat(team.log("orchestration.log")).contains("answered a dialog of claude", "answered a dialog of fake")
                    .doesNotContain("could not");
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"CLAUDE, claude-code", "CODEX, codex"})
    void aNaiveSendKeysLeavesTheTaskUnsubmittedAndRulemuxSubmitsItByPressingEnter(Cli cli, String profile) throws Exception {
        try (RealTeam team = new RealTeam(dir, "the unsubmitted-prompt recovery")) {
            team.real("agent", cli, profile, "high").write("tasks:\n  - {id: t1, complexity: high, prompt: \"x\"}\n");
            Pane pane = team.startAndAwaitReady().get("agent");
            String prompt = "[rulemux task t1] " + "please review the module and report every place where the retry logic "
                    + "could loop forever under load ".repeat(6) + "[mock work=1s]";

            // the bug: text and Enter in one send-keys; the CLI's paste detection keeps it as a draft
            dev.rulemux.tmux.SeedsKeys.sendKeysNaively(team.tmux(), pane.id(), prompt);
            // once the CLI has taken the keys and settled, the prompt sits in its box as a draft (a submit would
            // have cleared it); the loop below would find nothing to press Enter for had it been sent
            LiveScreen.awaitStatus(team.tmux(), pane.id(), profile, RealTeam.GENEROUS, Status.AWAITING_SUBMIT);
            assertThat(team.turns()).as("nothing was submitted").isEmpty();
            assertThat(team.tmux().capture(pane.id())).contains("please review the module");

            // rulemux starts with t1 in flight on the agent: it presses Enter, never re-types
            MemoryTaskBoard board = new MemoryTaskBoard(team.config().tasks(), java.time.Clock.systemUTC());
            board.delivered("t1", "agent", System.currentTimeMillis(), null); // recorded by a run that stopped
            RunLoop loop = team.loop(RunLoop.Options.run(false, true, Duration.ofMillis(250)), board);

            assertThat(team.runToEnd(loop, Duration.ofMinutes(5))).isZero();
            assertThat(team.turns()).singleElement().satisfies(t -> assertThat(t.prompt().strip()).startsWith("[rulemux task t1]"));
            assertThat(team.log("dispatch.log")).contains("pressed Enter again for t1 on agent").doesNotContain("sent t1");
            assertThat(board.tasks().get(0).state()).isEqualTo(TaskState.COMPLETED);
        }
    }

    @Test
    void qwenCodeAndOpencodeRunOfflineAgainstTheMockAndFinishTheirTasksThroughTheLoop() throws Exception {
        String tasks = """
                tasks:
                  - {id: q1, complexity: high, prompt: "Explain the build [mock work=2s]"}
                  - {id: o1, complexity: low, prompt: "Explain the tests [mock work=2s]"}
                  - {id: q2, complexity: high, depends_on: [q1], prompt: "Now the docs [mock work=1s]"}
                  - {id: o2, complexity: low, depends_on: [o1], prompt: "Now the lint [mock work=1s]"}
                """;
        try (RealTeam team = new RealTeam(dir, "Qwen Code and opencode through the loop")) {
            team.real("qwen", Cli.QWEN, "qwen-code", "high", "approvals: auto")
                    .real("opencode", Cli.OPENCODE, "opencode", "low", "approvals: auto")
                    .write(tasks);
            team.startAndAwaitReady();
            RunLoop loop = team.loop(RunLoop.Options.run(false, true, Duration.ofMillis(250)));

            int exit = team.runToEnd(loop, Duration.ofMinutes(5));

            assertThat(exit).as(team.console.toString()).isZero();
            assertThat(loop.board().tasks()).allSatisfy(t -> assertThat(t.state()).isEqualTo(TaskState.COMPLETED));
            assertThat(loop.board().lastAgent("q2")).contains("qwen");
            assertThat(loop.board().lastAgent("o2")).contains("opencode");
            // each task reached the mock once, as an agent turn of the Chat Completions API
            Map<String, Integer> seen = new HashMap<>();
            for (MockRequest turn : team.turns()) {
                Matcher m = TASK.matcher(turn.prompt());
                if (m.find()) {
                    seen.merge(m.group(1), 1, Integer::sum);
                    assertThat(turn.api()).isEqualTo("openai-chat");
                }
            }
            assertThat(seen).containsOnlyKeys("q1", "q2", "o1", "o2").allSatisfy((id, n) -> assertThat(n).as(id).isOne());
        }
    }

    @Test
    void startAnswersTheTrustDialogOfAnUntrustedFolderAsThePolicySays() throws Exception {
        try (RealTeam team = new RealTeam(dir, "start answering a trust dialog")) {
            team.real("claude", Cli.CLAUDE, "claude-code", "high",
                    dev.rulemux.sim.RealClis.Options.defaults().withTrusted(false), "startup_dialogs: auto").write("tasks: []\n");
            java.io.StringWriter out = new java.io.StringWriter();

            int exit = dev.rulemux.Main.run(new dev.rulemux.App(java.time.Clock.systemUTC()),
                    new String[] {"start", "--config", dir.toString()}, new java.io.PrintWriter(out, true),
                    new java.io.PrintWriter(out, true));

            assertThat(exit).as(out.toString()).isZero();
            // 2.1.332 selects "No, exit": the profile's trust-folder-no-selected dialog moves to "Yes" first
            assertThat(out.toString()).contains("startup dialog trust-folder-no-selected",
                    "answered a dialog of claude with Down Enter", "every agent is ready");
            Pane pane = team.team().panes().get("claude");
            assertThat(team.awaitIdle(pane, "claude-code"))
                    .doesNotContain("Quick safety check");
        }
    }

    @Test
    void aDryRunAgainstRealClisSendsNothingToTheModel() throws Exception {
        try (RealTeam team = new RealTeam(dir, "the dry run")) {
            team.real("claude", Cli.CLAUDE, "claude-code", "high").real("codex", Cli.CODEX, "codex", "medium")
                    .write("tasks:\n  - {id: a, complexity: high, prompt: \"x\"}\n  - {id: b, complexity: medium, prompt: \"y\"}\n");
            Map<String, Pane> panes = team.startAndAwaitReady();
            Map<String, String> before = new HashMap<>();
            panes.forEach((agent, pane) -> before.put(agent, team.tmux().capture(pane.id())));
            int requestsBefore = team.mock.requests().size();
            RunLoop loop = team.loop(RunLoop.Options.run(true, false, Duration.ofMillis(200)));

            // when it ticks until it would send both prompts, then ten ticks more: a prompt sent would show by then
            dev.rulemux.tmux.PrivateTmux.await(RealTeam.GENEROUS, "both prompts that would be sent", () -> {
                loop.tick();
                return team.console.toString().contains("would send_prompt claude a")
                        && team.console.toString().contains("would send_prompt codex b");
            });
            for (int i = 0; i < 10; i++) {
                Thread.sleep(200);
                loop.tick();
            }

            assertThat(team.mock.requests().subList(requestsBefore, team.mock.requests().size()))
                    .as("no request reached the model").noneMatch(r -> r.path().startsWith("/v1") || r.path().startsWith("POST"));
            panes.forEach((agent, pane) -> assertThat(team.tmux().capture(pane.id())).as(agent)
                    .doesNotContain("[rulemux task"));
        }
    }
}
