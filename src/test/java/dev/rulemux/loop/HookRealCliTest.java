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
            team.useProfile("claude-code", "claude-broken", broken);
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
            // profile whose working marker matches nothing. Its input line is kept: when Gemini CLI drops the Enter that
            // follows a paste, the screen shows the prompt still in the box (the specs below break the input line too,
            // and the BeforeAgent hook's silence gets Enter pressed again).
            String profile = Files.readString(Path.of("profiles/gemini.yaml"));
            String broken = profile.replace("- 'esc to cancel'", "- 'NONSENSE-WORKING'");
            assertThat(broken).contains("NONSENSE-WORKING").contains("hooks: gemini");
            team.useProfile("gemini", "gemini-broken", broken);
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
    void givenGeminiCliWithAProfileWhoseInputWorkingApprovalAndTurnMarkersAreBroken_thenItsHooksClassifyItWorkingAwaitingApprovalAndIdle()
            throws Exception {
        Path dir = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "hooks-gemini-broken-");
        Assumptions.assumeTrue(HookWiring.geminiReadsSystemFilesIn(dir),
                "Gemini CLI reads a system settings file only where root owns it and every folder above it: " + dir);
        try (RealTeam team = new RealTeam(dir, "Gemini CLI's hooks with broken markers")) {
            // a shell command to approve, and a person to approve it (approvals: ask)
            team.real("gemini", Cli.GEMINI, "gemini", "high", "approvals: ask")
                    .write("tasks:\n  - {id: t1, complexity: high, prompt: \"Create the marker file [mock tool=shell]\"}\n");
            team.startAndAwaitReady();
            // a new CLI version changed its status markers: its input line (and its paste placeholder), its spinner
            // (working), its approval dialog and its answer lines (turns:) match nothing in this copy of its profile.
            // Gemini CLI drops the Enter that follows a paste now and then (1 run in 3 here): with no input box to read,
            // its BeforeAgent hook's silence is what gets Enter pressed again (rules/delivery.drl).
            String broken = brokenGeminiProfile();
            team.useProfile("gemini", "gemini-broken", broken);
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

    @Test
    void givenGeminiCliWithEveryMarkerBroken_whenTheEnterAfterThePasteIsTakenAsANewline_thenItsHooksSilenceGetsEnterPressedAgain()
            throws Exception {
        Path dir = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "hooks-gemini-silent-");
        Assumptions.assumeTrue(HookWiring.geminiReadsSystemFilesIn(dir),
                "Gemini CLI reads a system settings file only where root owns it and every folder above it: " + dir);
        try (RealTeam team = new RealTeam(dir, "Gemini CLI's hooks silent after a dropped Enter")) {
            team.real("gemini", Cli.GEMINI, "gemini", "high", "approvals: auto").write(ONE_TASK);
            team.startAndAwaitReady();
            // the profile's markers broken as above, and the Enter pressed at once after the paste: Gemini CLI takes an
            // Enter within 40 ms of a paste it does not trust as a newline (its InputPrompt), so the prompt stays in
            // the box, where the screen cannot read it
            String broken = brokenGeminiProfile().replace("submit_delay: 250ms", "submit_delay: 0ms");
            assertThat(broken).contains("submit_delay: 0ms");
            team.useProfile("gemini", "gemini-broken", broken);
            RunLoop loop = team.loop(RunLoop.Options.run(false, true, Duration.ofMillis(250)));

            assertThat(team.runToEnd(loop, Duration.ofMinutes(3))).as(team.console.toString()).isZero();

            assertThat(loop.board().record("t1").orElseThrow().state()).isEqualTo(TaskState.COMPLETED);
            assertThat(team.log("orchestration.log"))
                    .contains("no BeforeAgent hook from gemini's CLI since the prompt of t1 was delivered")
                    .contains("the hooks' silence says it was not submitted")
                    .contains("t1 IN_PROGRESS -> COMPLETED: gemini worked on it and is idle again (hook AfterAgent: its CLI ended the turn)")
                    .doesNotContain("after Enter was pressed");
            assertThat(Files.readString(dir.resolve(HookSpool.FILE))).as(team.log("orchestration.log"))
                    .containsPattern("\\d+ gemini BeforeAgent\\n").containsPattern("\\d+ gemini AfterAgent\\n");
            // the model was asked once: the prompt was typed once and submitted once
            assertThat(team.turns()).hasSize(1);
        } finally {
            deleteTree(dir);
        }
    }

    @Test
    void givenGeminiCli_whenEnterIsPressedOnItsEmptyInputBox_idleOrAtWork_thenNothingIsSubmitted() throws Exception {
        enterOnAnEmptyInputBoxSubmitsNothing(Cli.GEMINI, "gemini", "esc to cancel");
    }

    @Test
    void givenClaudeCode_whenEnterIsPressedOnItsEmptyInputBox_idleOrAtWork_thenNothingIsSubmitted() throws Exception {
        enterOnAnEmptyInputBoxSubmitsNothing(Cli.CLAUDE, "claude-code", "esc to interrupt");
    }

    /**
     * The hooks' silence may get Enter pressed on a prompt the CLI took after all (its hook late): Enter on its empty
     * input box, idle or at work on a turn, must submit nothing. The CLI is given Enter three times on its empty box,
     * then a prompt, Enter three times while at work on it, and Enter three times on its empty box again, then a second
     * prompt: the model is asked exactly the two prompts, in order.
     */
    private void enterOnAnEmptyInputBoxSubmitsNothing(Cli cli, String profile, String workingMarker) throws Exception {
        Path dir = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "enter-on-empty-");
        try (RealTeam team = new RealTeam(dir, profile + " given Enter on an empty input box")) {
            team.real("agent", cli, profile, "high", "approvals: auto").write("tasks: []\n");
            var pane = team.startAndAwaitReady().get("agent");
            java.util.List<String> enter = java.util.List.of("Enter");
            for (int i = 0; i < 3; i++) {
                team.tmux().pressKeys(pane.id(), enter);
            }
            team.tmux().typeLiteral(pane.id(), "First prompt [mock work=3s]");
            team.server.awaitScreen(pane.id(), RealTeam.GENEROUS, "the first prompt typed", s -> s.contains("First prompt"));
            team.tmux().pressKeys(pane.id(), enter);
            team.server.awaitScreen(pane.id(), RealTeam.GENEROUS, "the first turn at work", s -> s.contains(workingMarker));
            for (int i = 0; i < 3; i++) {
                team.tmux().pressKeys(pane.id(), enter);
            }
            team.awaitIdle(pane, profile);
            for (int i = 0; i < 3; i++) {
                team.tmux().pressKeys(pane.id(), enter);
            }
            team.tmux().typeLiteral(pane.id(), "Second prompt");
            team.server.awaitScreen(pane.id(), RealTeam.GENEROUS, "the second prompt typed", s -> s.contains("Second prompt"));
            team.tmux().pressKeys(pane.id(), enter);
            dev.rulemux.tmux.PrivateTmux.await(RealTeam.GENEROUS, "the second prompt asked of the model",
                    () -> team.turns().stream().anyMatch(t -> t.prompt().contains("Second prompt")));
            team.awaitIdle(pane, profile);

            assertThat(team.turns()).extracting(t -> t.prompt().contains("First prompt") ? "first"
                    : t.prompt().contains("Second prompt") ? "second" : t.prompt()).containsExactly("first", "second");
        } finally {
            deleteTree(dir);
        }
    }

    /**
     * A copy of Gemini CLI's profile as a new version might break it: its input line and paste placeholder, its spinner
     * (working), its approval dialog and its answer lines (turns:) match nothing.
     */
    private static String brokenGeminiProfile() throws java.io.IOException {
        String profile = Files.readString(Path.of("profiles/gemini.yaml"));
        String broken = profile.replace("line: '^\\s?>\\s+(?<draft>.*)$'", "line: '^NONSENSE-INPUT(?<draft>.*)$'")
                .replace("paste: '\\[Pasted Text: \\d+ lines?\\]'", "paste: 'NONSENSE-PASTE'")
                .replace("- 'esc to cancel'", "- 'NONSENSE-WORKING'")
                .replace("markers: ['Allow execution of', 'Apply this change\\?', 'Allow (?:edit|write)']",
                        "markers: ['NONSENSE-APPROVAL']")
                .replace("turns: '^\\s*✦\\s'", "turns: 'NONSENSE-TURN'");
        assertThat(broken).contains("NONSENSE-INPUT", "NONSENSE-PASTE", "NONSENSE-WORKING", "NONSENSE-APPROVAL", "NONSENSE-TURN",
                "hooks: gemini");
        return broken;
    }

    private static void deleteTree(Path root) throws java.io.IOException {
        try (var paths = Files.walk(root)) {
            for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
