package dev.rulemux.loop;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rulemux.domain.TaskState;
import dev.rulemux.sim.RealClis.Cli;
import dev.rulemux.store.HookSpool;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The CLIs' own hooks, end to end with the real CLIs against the mock model server: rulemux wires them when it starts
 * the agent, a turn's end reaches the hook spool through the launcher's fast path, and the loop classifies the agent
 * from it — even with a profile whose screen markers no longer match anything.
 */
@Tag("realcli")
class HookRealCliTest {

    private static final String ONE_TASK = "tasks:\n  - {id: t1, complexity: high, prompt: \"Say hello [mock work=1s]\"}\n";

    @TempDir
    Path dir;

    private String home;

    @BeforeEach
    void useTheCheckoutsLauncher() {
        // the hook command is the launcher of this checkout (its fast path needs no jar and no JVM)
        home = System.getProperty("rulemux.home");
        System.setProperty("rulemux.home", Path.of("").toAbsolutePath().toString());
    }

    @AfterEach
    void restore() {
        if (home == null) {
            System.clearProperty("rulemux.home");
        } else {
            System.setProperty("rulemux.home", home);
        }
    }

    @Test
    void givenClaudeCode_whenATurnEnds_thenItsStopHookReachesTheSpoolAndTheLoopJudgesItIdleFromIt() throws Exception {
        try (RealTeam team = new RealTeam(dir, "Claude Code's hooks")) {
            team.real("claude", Cli.CLAUDE, "claude-code", "high", "approvals: auto").write(ONE_TASK);
            team.startAndAwaitReady();
            RunLoop loop = team.loop(RunLoop.Options.run(false, true, Duration.ofMillis(250)));

            assertThat(team.runToEnd(loop, Duration.ofMinutes(5))).as(team.console.toString()).isZero();

            assertThat(loop.board().record("t1").orElseThrow().state()).isEqualTo(TaskState.COMPLETED);
            assertThat(Files.readString(dir.resolve(HookSpool.FILE)))
                    .containsPattern("\\d+ claude SessionStart\\n")
                    .containsPattern("\\d+ claude UserPromptSubmit\\n")
                    .containsPattern("\\d+ claude Stop\\n");
            assertThat(team.log("orchestration.log")).containsPattern("claude \\S+ -> IDLE: hook Stop: its CLI ended the turn");
            assertThat(dir.resolve(".rulemux/hook-errors.log")).doesNotExist();
        }
    }

    @Test
    void givenCodex_whenATurnEnds_thenItsNotifyReachesTheSpoolAndTheLoopJudgesItIdleFromIt() throws Exception {
        try (RealTeam team = new RealTeam(dir, "Codex's notify")) {
            team.real("codex", Cli.CODEX, "codex", "high", "approvals: auto").write(ONE_TASK);
            team.startAndAwaitReady();
            RunLoop loop = team.loop(RunLoop.Options.run(false, true, Duration.ofMillis(250)));

            assertThat(team.runToEnd(loop, Duration.ofMinutes(5))).as(team.console.toString()).isZero();

            assertThat(loop.board().record("t1").orElseThrow().state()).isEqualTo(TaskState.COMPLETED);
            assertThat(Files.readString(dir.resolve(HookSpool.FILE))).containsPattern("\\d+ codex agent-turn-complete\\n");
            assertThat(team.log("orchestration.log")).contains("hook agent-turn-complete: its CLI ended the turn");
        }
    }

    @Test
    void givenAProfileWhoseScreenMarkersAreBroken_thenClaudeCodesHooksStillClassifyItAndItsTaskIsDone() throws Exception {
        try (RealTeam team = new RealTeam(dir, "hooks with broken markers")) {
            team.real("claude", Cli.CLAUDE, "claude-code", "high", "approvals: auto").write(ONE_TASK);
            team.startAndAwaitReady();
            // a new CLI version changed every screen marker: a copy of the profile whose markers match nothing
            String profile = Files.readString(Path.of("profiles/claude-code.yaml"));
            String broken = profile.replace("line: '^❯[\\s\\u00a0]?(?<draft>.*)$'", "line: '^NONSENSE-INPUT(?<draft>.*)$'")
                    .replace("- 'esc to interrupt'", "- 'NONSENSE-WORKING'")
                    .replace("- '^[✻✶✳✢·*✽] \\S+…'", "- 'NONSENSE-SPINNER'")
                    .replace("- '^[✻✶✳✢·*✽] \\S+ for (?:<)?\\d+'", "- 'NONSENSE-FINISHED'");
            assertThat(broken).contains("NONSENSE-INPUT", "NONSENSE-WORKING", "NONSENSE-SPINNER", "NONSENSE-FINISHED");
            Files.createDirectories(dir.resolve("profiles"));
            Files.writeString(dir.resolve("profiles/claude-broken.yaml"), broken);
            Files.writeString(dir.resolve("agents.yaml"), Files.readString(dir.resolve("agents.yaml"))
                    .replace("profile: \"claude-code\"", "profile: \"claude-broken\"").replace("profile: claude-code", "profile: claude-broken"));
            assertThat(team.config().team().agents().get(0).profile()).isEqualTo("claude-broken");
            RunLoop loop = team.loop(RunLoop.Options.run(false, true, Duration.ofMillis(250)));

            assertThat(team.runToEnd(loop, Duration.ofMinutes(5))).as(team.console.toString()).isZero();

            assertThat(loop.board().record("t1").orElseThrow().state()).isEqualTo(TaskState.COMPLETED);
            String log = team.log("orchestration.log");
            assertThat(log).contains("hook SessionStart: its CLI started a session", "hook Stop: its CLI ended the turn");
            assertThat(Files.readString(dir.resolve(HookSpool.FILE))).containsPattern("\\d+ claude UserPromptSubmit\\n");
        }
    }

    @Test
    void givenGeminiCliWithAProfileWhoseWorkingMarkerIsBroken_thenItsOwnHooksReachTheSpoolAndClassifyIt() throws Exception {
        // Gemini CLI reads its hooks' settings file only where root owns every folder above it: not under /tmp
        Path dir = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "hooks-gemini-");
        Assumptions.assumeTrue(HookWiring.geminiReadsSystemFilesIn(dir),
                "Gemini CLI reads a system settings file only where root owns it and every folder above it: " + dir);
        try (RealTeam team = new RealTeam(dir, "Gemini CLI's hooks")) {
            // the case: a prompt over max_inline_bytes (sent as a short "read this file" message), answered at
            // once, so that no capture may see the turn at work: its AfterAgent hook is what completes the task
            team.real("gemini", Cli.GEMINI, "gemini", "high", "approvals: auto")
                    .write("tasks:\n  - {id: t1, complexity: high, prompt: \"" + "Check this line. ".repeat(1_200) + "\"}\n");
            team.startAndAwaitReady();
            // a new CLI version changed its working marker (the one screen sign of a turn under way): a copy of the
            // profile whose working marker matches nothing. Its input line is kept: Gemini CLI sometimes drops the Enter
            // that follows a paste on a loaded machine, and rulemux presses it again only when the screen shows the
            // prompt still in the box (the Claude Code spec above breaks every marker).
            String profile = Files.readString(Path.of("profiles/gemini.yaml"));
            String broken = profile.replace("- 'esc to cancel'", "- 'NONSENSE-WORKING'");
            assertThat(broken).contains("NONSENSE-WORKING").contains("hooks: gemini");
            Files.createDirectories(dir.resolve("profiles"));
            Files.writeString(dir.resolve("profiles/gemini-broken.yaml"), broken);
            Files.writeString(dir.resolve("agents.yaml"), Files.readString(dir.resolve("agents.yaml"))
                    .replace("profile: \"gemini\"", "profile: \"gemini-broken\"").replace("profile: gemini\n", "profile: gemini-broken\n"));
            assertThat(team.config().team().agents().get(0).profile()).isEqualTo("gemini-broken");
            RunLoop loop = team.loop(RunLoop.Options.run(false, true, Duration.ofMillis(250)));

            assertThat(team.runToEnd(loop, Duration.ofMinutes(5))).as(team.console.toString()).isZero();

            assertThat(loop.board().record("t1").orElseThrow().state()).isEqualTo(TaskState.COMPLETED);
            assertThat(Files.readString(dir.resolve(HookSpool.FILE))).as(team.log("orchestration.log"))
                    .containsPattern("\\d+ gemini SessionStart\\n")
                    .containsPattern("\\d+ gemini BeforeAgent\\n")
                    .containsPattern("\\d+ gemini AfterAgent\\n");
            assertThat(team.log("orchestration.log")).contains("hook SessionStart: its CLI started a session",
                    "hook AfterAgent: its CLI ended the turn");
            assertThat(dir.resolve(".rulemux/hook-errors.log")).doesNotExist();
            assertThat(team.turns()).anySatisfy(t -> assertThat(t.prompt()).contains(".rulemux/prompts/"));
            // the user's settings were not touched: the sandbox's settings.json has no hooks
            assertThat(Files.readString(team.sandboxHome("gemini").resolve(".gemini/settings.json"))).doesNotContain("hooks");
        } finally {
            deleteTree(dir);
        }
    }

    @Test
    void givenGeminiCliWithAProfileWhoseWorkingApprovalAndTurnMarkersAreBroken_thenItsHooksClassifyItWorkingAwaitingApprovalAndIdle()
            throws Exception {
        Path dir = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "hooks-gemini-broken-");
        Assumptions.assumeTrue(HookWiring.geminiReadsSystemFilesIn(dir),
                "Gemini CLI reads a system settings file only where root owns it and every folder above it: " + dir);
        try (RealTeam team = new RealTeam(dir, "Gemini CLI's hooks with broken markers")) {
            // a shell command to approve, and a person to approve it (approvals: ask)
            team.real("gemini", Cli.GEMINI, "gemini", "high", "approvals: ask")
                    .write("tasks:\n  - {id: t1, complexity: high, prompt: \"Create the marker file [mock tool=shell]\"}\n");
            team.startAndAwaitReady();
            // a new CLI version changed its status markers: its spinner (working), its approval dialog and its answer
            // lines (turns:) match nothing in this copy of its profile. Its input line is kept: Gemini CLI drops the Enter
            // that follows a paste now and then (1 run in 3 here), and only the screen shows rulemux that the prompt is
            // still in the box, to press Enter again (no hook tells a prompt not yet submitted).
            String profile = Files.readString(Path.of("profiles/gemini.yaml"));
            String broken = profile.replace("- 'esc to cancel'", "- 'NONSENSE-WORKING'")
                    .replace("markers: ['Allow execution of', 'Apply this change\\?', 'Allow (?:edit|write)']",
                            "markers: ['NONSENSE-APPROVAL']")
                    .replace("turns: '^\\s*✦\\s'", "turns: 'NONSENSE-TURN'");
            assertThat(broken).contains("NONSENSE-WORKING", "NONSENSE-APPROVAL", "NONSENSE-TURN", "hooks: gemini");
            Files.createDirectories(dir.resolve("profiles"));
            Files.writeString(dir.resolve("profiles/gemini-broken.yaml"), broken);
            Files.writeString(dir.resolve("agents.yaml"), Files.readString(dir.resolve("agents.yaml"))
                    .replace("profile: \"gemini\"", "profile: \"gemini-broken\"").replace("profile: gemini\n", "profile: gemini-broken\n"));
            assertThat(team.config().team().agents().get(0).profile()).isEqualTo("gemini-broken");
            RunLoop loop = team.loop(RunLoop.Options.run(false, true, Duration.ofMillis(250)));

            java.util.concurrent.Future<Integer> run = team.runInBackground(loop);
            String pane = team.tmux().panes("realteam").get(0).id();
            try {
                dev.rulemux.tmux.PrivateTmux.await(Duration.ofMinutes(2), "gemini awaiting approval from its hook",
                        () -> team.log("orchestration.log").contains("AWAITING_APPROVAL: hook PermissionPrompt"));
            } catch (AssertionError e) {
                throw new AssertionError(e.getMessage() + "\n" + team.log("orchestration.log") + "\n--- hooks:\n"
                        + Files.readString(dir.resolve(HookSpool.FILE)) + "\n--- screen:\n" + team.tmux().capture(pane), e);
            }
            // the screen shows rulemux no dialog: a person answers it ("1. Allow once")
            team.server.awaitScreen(pane, Duration.ofMinutes(1), "Gemini CLI's approval dialog", screen -> screen.contains("Allow once"));
            team.tmux().pressKeys(pane, java.util.List.of("Enter"));

            try {
                assertThat(run.get(3, java.util.concurrent.TimeUnit.MINUTES)).as(team.console.toString()).isZero();
            } catch (java.util.concurrent.TimeoutException e) {
                throw new AssertionError("the run did not end:\n" + team.log("orchestration.log") + "\n--- screen:\n"
                        + team.tmux().capture(pane), e);
            }
            assertThat(loop.board().record("t1").orElseThrow().state()).isEqualTo(TaskState.COMPLETED);
            assertThat(team.log("orchestration.log"))
                    // at work: from its BeforeAgent hook, or first from the screen's change (then the hook's only gave
                    // another reason for the same status, and is not logged), and again after the approval
                    .containsPattern("gemini \\S+ -> WORKING: (?:hook BeforeAgent|the screen changed)")
                    .containsPattern("gemini AWAITING_APPROVAL -> (?:WORKING|IDLE): hook")
                    .containsPattern("gemini \\S+ -> AWAITING_APPROVAL: hook PermissionPrompt: its CLI asks to approve a tool")
                    .contains("t1 IN_PROGRESS -> COMPLETED: gemini worked on it and is idle again (hook AfterAgent: its CLI ended the turn)");
            assertThat(Files.readString(dir.resolve(HookSpool.FILE))).containsPattern("\\d+ gemini BeforeAgent\\n")
                    .containsPattern("\\d+ gemini PermissionPrompt\\n").containsPattern("\\d+ gemini AfterAgent\\n");
            assertThat(dir.resolve(".rulemux/hook-errors.log")).doesNotExist();
        } finally {
            deleteTree(dir);
        }
    }

    private static void deleteTree(Path root) throws java.io.IOException {
        try (var paths = Files.walk(root)) {
            for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
