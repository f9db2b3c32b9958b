package dev.rulemux.loop;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rulemux.board.MemoryTaskBoard;
import dev.rulemux.domain.Status;
import dev.rulemux.domain.TaskState;
import dev.rulemux.terminal.FakeTerminal.Call;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The loop, tick by tick, over agents in a fake terminal that shows screens recorded from the real CLIs, on a fake
 * clock: what it types, presses and logs. The shipped rules decide; nothing runs but the loop.
 * The tmux specs (RunLoopIT, TeamCommandsIT) show the same loop end to end.
 */
class RunLoopTest {

    private static final RunLoop.Options RUN = RunLoop.Options.run(false, false, Duration.ofMillis(250));
    private static final String ONE_TASK = "tasks:\n  - {id: t1, complexity: high, prompt: \"Design the schema\"}\n";

    @TempDir
    Path dir;

    private static FakeTeam claude(Path dir, String tasksYaml, String... extra) {
        return new FakeTeam(dir, "  - {name: claude, profile: claude-code, command: claude, tier: high"
                + String.join("", extra) + "}\n", tasksYaml);
    }

    private static int count(String text, String part) {
        Matcher m = Pattern.compile(Pattern.quote(part)).matcher(text);
        int n = 0;
        while (m.find()) {
            n++;
        }
        return n;
    }

    // ---- waking on a hook event ----------------------------------------------------------------------------

    @Test
    void givenAgentsWithHooks_whenAHookEventIsAppendedWhileTheLoopSleeps_thenTheNextTickComesAtOnceNotAtTheInterval()
            throws Exception {
        try (FakeTeam team = claude(dir, ONE_TASK)) {
            team.terminal.shows("claude", "claude-code/working");
            RunLoop loop = team.loop(RunLoop.Options.run(false, false, Duration.ofSeconds(10)));
            java.nio.file.Files.createDirectories(dir.resolve(".rulemux"));
            List<Long> ticks = new java.util.ArrayList<>();
            loop.afterEachTick(config -> {
                ticks.add(team.time.millis());
                if (ticks.size() == 1) {
                    // the agent's CLI runs its Stop hook after the tick read the spool
                    try {
                        dev.rulemux.store.HookSpool.of(dir).append("claude", "Stop", team.time.millis());
                    } catch (java.io.IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                }
                if (ticks.size() == 2) {
                    loop.stop();
                }
            });

            loop.run();

            assertThat(ticks).hasSize(2);
            // woken by the event within one look at the spool; the tick then delivers t1 (its submit delay slept)
            assertThat(ticks.get(1) - ticks.get(0)).as("woken by the hook event").isEqualTo(RunLoop.WAKE_POLL_MS + 250);
            assertThat(team.log("orchestration.log")).contains("hook Stop: its CLI ended the turn");
        }
    }

    // ---- an agent's actions do not hold up the others ----------------------------------------------------------

    @Test
    void givenAPasteThatTheCliIsSlowToTake_whenTheLoopRunsOnTheWallClock_thenItTicksOnForTheOtherAgents_andTypesNothingTwice()
            throws Exception {
        try (FakeTeam team = FakeTeam.claudeAndCodex(dir, "tasks:\n"
                + "  - {id: t1, complexity: high, prompt: \"Design the schema\"}\n"
                + "  - {id: t2, complexity: high, prompt: \"Write the migration\"}\n")) {
            team.terminal.shows("claude", "claude-code-2.1.332/idle").shows("codex", "codex-0.171.0/idle");
            java.util.concurrent.CountDownLatch taken = new java.util.concurrent.CountDownLatch(1);
            team.terminal.pasteWaitsFor("claude", taken);
            RunLoop loop = team.loopOnTheWallClock(RunLoop.Options.run(false, false, Duration.ofMillis(50)));
            java.util.concurrent.atomic.AtomicInteger ticks = new java.util.concurrent.atomic.AtomicInteger();
            loop.afterEachTick(config -> ticks.incrementAndGet());
            Thread running = new Thread(loop::run, "run-loop");
            running.start();
            try {
                // given: claude's paste hangs; codex gets its prompt all the same, and the loop keeps ticking
                dev.rulemux.Eventually.until("codex given its prompt and Enter", () ->
                        team.terminal.pasted("codex").size() == 1 && team.terminal.pressed("codex").size() == 1);
                int before = ticks.get();
                dev.rulemux.Eventually.until("three more ticks while claude's paste hangs", () -> ticks.get() >= before + 3);
                assertThat(team.terminal.pressed("claude")).as("no Enter before the paste ended").isEmpty();

                // when the CLI takes the paste at last
                taken.countDown();

                // then its Enter follows, and nothing decided meanwhile was typed twice
                dev.rulemux.Eventually.until("claude's Enter", () -> team.terminal.pressed("claude").size() == 1);
                int now = ticks.get();
                dev.rulemux.Eventually.until("three more ticks", () -> ticks.get() >= now + 3);
            } finally {
                loop.stop();
                running.join(10_000);
            }
            assertThat(running.isAlive()).isFalse();
            assertThat(team.terminal.pasted("claude")).hasSize(1);
            assertThat(team.terminal.pasted("codex")).hasSize(1);
            assertThat(team.terminal.pasted("claude").get(0) + team.terminal.pasted("codex").get(0))
                    .contains("Design the schema", "Write the migration");
        }
    }

    @Test
    void givenATickThatMovesATask_thenTheNextTickComesAtOnce_andTheOneAfterItWaitsForTheInterval() throws Exception {
        try (FakeTeam team = claude(dir, ONE_TASK)) {
            team.terminal.shows("claude", "claude-code/idle");
            RunLoop loop = team.loop(RunLoop.Options.run(false, false, Duration.ofSeconds(10)));
            List<Long> ticks = new java.util.ArrayList<>();
            List<TaskState> states = new java.util.ArrayList<>();
            loop.afterEachTick(config -> {
                ticks.add(team.time.millis());
                TaskState state = loop.board().record("t1").orElseThrow().state();
                states.add(state);
                if (state == TaskState.ASSIGNED) {
                    team.terminal.shows("claude", "claude-code/working");
                }
                if (java.util.Collections.frequency(states, TaskState.IN_PROGRESS) == 3 || ticks.size() == 20) {
                    loop.stop();
                }
            });

            loop.run();

            int moved = states.indexOf(TaskState.IN_PROGRESS); // the tick whose decision moved t1 to in progress
            assertThat(moved).as("t1 at each tick: " + states).isPositive();
            assertThat(ticks.get(moved + 1) - ticks.get(moved)).as("the tick after it, at once").isZero();
            assertThat(ticks.get(moved + 2) - ticks.get(moved + 1)).as("then the interval").isEqualTo(10_000);
        }
    }

    // ---- a turn that ends between two captures ------------------------------------------------------------

    private static FakeTeam geminiWithALongTask(Path dir) {
        // over Gemini CLI's max_inline_bytes (16,000): the prompt goes to a file, the agent is told to read it
        String longTask = "tasks:\n  - {id: t1, complexity: high, prompt: \"" + "Check this line. ".repeat(1_200) + "\"}\n";
        return new FakeTeam(dir, "  - {name: gemini, profile: gemini, command: gemini, tier: high}\n", longTask);
    }

    @Test
    void givenATurnAnsweredAtOnceSoNoCaptureShowedItWorking_whenItsAfterAgentHookRan_thenTheTaskIsCompleted() throws Exception {
        try (FakeTeam team = geminiWithALongTask(dir)) {
            team.terminal.shows("gemini", "gemini/idle"); // before the prompt and after the answer: never working
            RunLoop loop = team.loop(RUN);
            for (int i = 0; i < 10 && loop.board().record("t1").orElseThrow().state() == TaskState.PENDING; i++) {
                team.tickAfter(loop, Duration.ofSeconds(1));
            }
            assertThat(team.terminal.pasted("gemini")).singleElement().satisfies(p -> assertThat(p).contains(".rulemux/prompts/"));
            java.nio.file.Files.createDirectories(dir.resolve(".rulemux"));

            team.time.passes(Duration.ofMillis(300));
            dev.rulemux.store.HookSpool.of(dir).append("gemini", "BeforeAgent", team.time.millis());
            team.time.passes(Duration.ofMillis(200));
            dev.rulemux.store.HookSpool.of(dir).append("gemini", "AfterAgent", team.time.millis());
            team.tickAfter(loop, Duration.ofMillis(100));
            team.tickAfter(loop, Duration.ofMillis(250));

            assertThat(loop.board().record("t1").orElseThrow().state()).isEqualTo(TaskState.COMPLETED);
            assertThat(team.log("orchestration.log")).contains("t1 ASSIGNED -> COMPLETED: gemini worked on it and is idle again");
        }
    }

    @Test
    void givenATurnAnsweredAtOnceSoNoCaptureShowedItWorking_withoutHooks_thenTheTaskIsNotTakenForDone() throws Exception {
        try (FakeTeam team = geminiWithALongTask(dir)) {
            team.terminal.shows("gemini", "gemini/idle");
            RunLoop loop = team.loop(RUN);

            for (int i = 0; i < 20; i++) {
                team.tickAfter(loop, Duration.ofSeconds(1));
            }

            // the screen alone cannot tell a prompt answered at once from one never taken: a reminder comes later
            assertThat(loop.board().record("t1").orElseThrow().state()).isEqualTo(TaskState.ASSIGNED);
        }
    }

    @Test
    void givenATurnAnsweredAtOnceSoNoCaptureShowedItWorking_withoutHooks_whenItsAnswerIsOnScreen_thenTheTaskIsCompletedAndItsDependantSent()
            throws Exception {
        String tasks = "tasks:\n  - {id: t1, complexity: high, prompt: \"" + "Check this line. ".repeat(1_200) + "\"}\n"
                + "  - {id: t2, complexity: high, depends_on: [t1], prompt: \"Now the follow-up\"}\n";
        try (FakeTeam team = new FakeTeam(dir, "  - {name: gemini, profile: gemini, command: gemini, tier: high}\n", tasks)) {
            team.terminal.shows("gemini", "gemini/idle");
            RunLoop loop = team.loop(RUN);
            for (int i = 0; i < 10 && loop.board().record("t1").orElseThrow().state() == TaskState.PENDING; i++) {
                team.tickAfter(loop, Duration.ofSeconds(1));
            }
            assertThat(team.terminal.pasted("gemini")).singleElement().satisfies(p -> assertThat(p).contains(".rulemux/prompts/"));

            // answered between two captures: the next one shows the answer under an empty input box, never the spinner
            team.terminal.shows("gemini", "gemini/finished");
            for (int i = 0; i < 10 && loop.board().record("t1").orElseThrow().state() == TaskState.ASSIGNED; i++) {
                team.tickAfter(loop, Duration.ofMillis(250));
            }

            assertThat(loop.board().record("t1").orElseThrow().state()).isEqualTo(TaskState.COMPLETED);
            assertThat(team.log("orchestration.log")).contains("t1 ASSIGNED -> COMPLETED: gemini's screen shows its turn over "
                    + "(a new answer since the prompt was delivered: ✦ Done. You said: Explain the build)");
            team.tickAfter(loop, Duration.ofMillis(250));
            assertThat(team.terminal.pasted("gemini")).hasSize(2).last().satisfies(p -> assertThat(p).contains("Now the follow-up"));
            assertThat(team.log("orchestration.log")).doesNotContain("no sign of working");
        }
    }

    // ---- action de-duplication ------------------------------------------------------------------------------

    @Test
    void givenAnIdleAgentAndAPendingTask_whenManyTicksGoBy_thenThePromptIsPastedOnceAndSubmittedOnce() throws Exception {
        try (FakeTeam team = claude(dir, ONE_TASK)) {
            team.terminal.shows("claude", "claude-code/idle");
            RunLoop loop = team.loop(RUN);

            for (int i = 0; i < 12; i++) {
                team.tickAfter(loop, Duration.ofSeconds(2));
            }

            assertThat(team.terminal.pasted("claude")).singleElement().satisfies(p -> assertThat(p).contains("Design the schema"));
            assertThat(team.terminal.pressed("claude")).containsExactly(List.of("Enter"));
            assertThat(loop.board().record("t1").orElseThrow().state()).isEqualTo(TaskState.ASSIGNED);
        }
    }

    @Test
    void givenAnApprovalThatNeedsAPerson_whenThePolicyDecidesItEveryTick_thenAPersonIsToldOnceAndNothingIsPressed() throws Exception {
        try (FakeTeam team = claude(dir, "tasks: []\n", ", approvals: ask")) {
            team.terminal.shows("claude", "claude-code/approval");
            RunLoop loop = team.loop(RUN);

            for (int i = 0; i < 8; i++) {
                team.tickAfter(loop, Duration.ofMillis(500));
            }

            assertThat(count(team.log("orchestration.log"), "asks for approval (approvals: ask)")).isEqualTo(1);
            assertThat(team.terminal.inputs()).isEmpty();
        }
    }

    @Test
    void givenAStandingDecision_whenItLapsesForATickAndIsDecidedAgain_thenItIsCarriedOutAgain() throws Exception {
        try (FakeTeam team = claude(dir, "tasks: []\n", ", approvals: ask")) {
            team.terminal.shows("claude", "claude-code/approval");
            RunLoop loop = team.loop(RUN);
            team.tickAfter(loop, Duration.ofSeconds(2));

            team.terminal.shows("claude", "claude-code/idle");
            team.tickAfter(loop, Duration.ofSeconds(2));
            team.terminal.shows("claude", "claude-code/approval");
            team.tickAfter(loop, Duration.ofSeconds(2));

            assertThat(count(team.log("orchestration.log"), "asks for approval (approvals: ask)")).isEqualTo(2);
        }
    }

    // ---- dry run ----------------------------------------------------------------------------------------------

    @Test
    void givenADryRun_whenTicksGoBy_thenNothingIsTypedOrStartedAndEachDecidedActionIsPrintedOnce() throws Exception {
        try (FakeTeam team = claude(dir, ONE_TASK)) {
            team.terminal.shows("claude", "claude-code/idle");
            MemoryTaskBoard board = new MemoryTaskBoard(team.config().tasks(), team.time);
            RunLoop loop = team.loop(RunLoop.Options.run(true, false, Duration.ofMillis(250)), board);

            for (int i = 0; i < 6; i++) {
                team.tickAfter(loop, Duration.ofSeconds(2));
            }

            assertThat(team.terminal.inputs()).isEmpty();
            assertThat(team.terminal.launched()).isEmpty();
            assertThat(count(team.console.toString(), "would send_prompt claude t1")).isEqualTo(1);
            assertThat(board.record("t1").orElseThrow().state()).isEqualTo(TaskState.PENDING);
        }
    }

    // ---- status transitions -----------------------------------------------------------------------------------

    @Test
    void givenAnAgentsScreens_whenItWorksThenFinishesThenAsksForApproval_thenEachChangeOfStatusIsLoggedOnce() throws Exception {
        try (FakeTeam team = claude(dir, "tasks: []\n", ", approvals: ask")) {
            RunLoop loop = team.loop(RUN);

            team.terminal.shows("claude", "claude-code/working");
            team.tickAfter(loop, Duration.ofSeconds(2));
            assertThat(loop.statuses()).containsEntry("claude", Status.WORKING);
            team.tickAfter(loop, Duration.ofSeconds(2));

            team.terminal.shows("claude", "claude-code/finished");
            team.tickAfter(loop, Duration.ofSeconds(2));
            assertThat(loop.statuses()).containsEntry("claude", Status.IDLE);

            team.terminal.shows("claude", "claude-code/approval");
            team.tickAfter(loop, Duration.ofSeconds(2));
            assertThat(loop.statuses()).containsEntry("claude", Status.AWAITING_APPROVAL);

            assertThat(team.log("monitor.log")).contains("claude (new) -> WORKING", "claude WORKING -> IDLE",
                    "claude IDLE -> AWAITING_APPROVAL");
            assertThat(count(team.log("monitor.log"), "claude (new) -> WORKING")).isEqualTo(1);
        }
    }

    @Test
    void givenAScreenThatChangedJustNow_whenTheLoopLooksAgainAfterItIsStill_thenTheAgentGoesFromWorkingToIdle() throws Exception {
        try (FakeTeam team = claude(dir, "tasks: []\n")) {
            team.terminal.shows("claude", "claude-code/idle");
            RunLoop loop = team.loop(RUN);

            loop.tick();
            assertThat(loop.statuses()).containsEntry("claude", Status.WORKING);

            team.tickAfter(loop, Duration.ofSeconds(2));
            assertThat(loop.statuses()).containsEntry("claude", Status.IDLE);
        }
    }

    // ---- failures ---------------------------------------------------------------------------------------------

    @Test
    void givenACaptureThatFails_whenTheLoopTicks_thenThatAgentIsSkippedThisTickAndSeenAgainOnceTheTerminalRecovers() throws Exception {
        try (FakeTeam team = claude(dir, ONE_TASK)) {
            team.terminal.shows("claude", "claude-code/idle").fails(Call.CAPTURE, "can't find pane: %0");
            RunLoop loop = team.loop(RUN);

            team.tickAfter(loop, Duration.ofSeconds(2));
            team.tickAfter(loop, Duration.ofSeconds(2));

            assertThat(team.log("orchestration.log")).contains("capture of claude failed this tick", "can't find pane: %0");
            assertThat(loop.statuses()).doesNotContainKey("claude");
            assertThat(team.terminal.inputs()).isEmpty();

            team.terminal.recovers(Call.CAPTURE);
            team.tickAfter(loop, Duration.ofSeconds(2));
            team.tickAfter(loop, Duration.ofSeconds(2));
            assertThat(team.terminal.pasted("claude")).hasSize(1);
        }
    }

    @Test
    void givenPanesThatCannotBeListed_whenTheLoopTicks_thenItWarnsAndCarriesOn() throws Exception {
        try (FakeTeam team = claude(dir, ONE_TASK)) {
            team.terminal.shows("claude", "claude-code/idle").fails(Call.PANES, "no server running on /tmp/tmux-1000/x");
            RunLoop loop = team.loop(RUN);

            team.tickAfter(loop, Duration.ofSeconds(2));

            assertThat(team.console.toString()).contains("warning: cannot list the panes: no server running");
            assertThat(team.terminal.inputs()).isEmpty();

            team.terminal.recovers(Call.PANES);
            team.tickAfter(loop, Duration.ofSeconds(2));
            team.tickAfter(loop, Duration.ofSeconds(2));
            assertThat(team.terminal.pasted("claude")).hasSize(1);
        }
    }

    @Test
    void givenKeysThatCannotBePressed_whenADialogIsAnswered_thenItWarnsAndAnswersAgainAtTheNextTick() throws Exception {
        try (FakeTeam team = claude(dir, "tasks: []\n", ", startup_dialogs: auto")) {
            team.terminal.shows("claude", "claude-code/trust-dialog").fails(Call.PRESS_KEYS, "can't find pane: %0");
            RunLoop loop = team.loop(RUN);

            team.tickAfter(loop, Duration.ofSeconds(2));
            assertThat(team.console.toString()).contains("warning: could not answer_dialog claude: can't find pane: %0");
            assertThat(team.terminal.pressed("claude")).isEmpty();

            team.terminal.recovers(Call.PRESS_KEYS);
            team.tickAfter(loop, Duration.ofMillis(250));
            assertThat(team.terminal.pressed("claude")).containsExactly(List.of("Enter"));
        }
    }

    @Test
    void givenAPasteThatFails_whenAPromptIsSent_thenItWarnsAndTheTaskIsNotTypedAgainWhileItIsInFlight() throws Exception {
        try (FakeTeam team = claude(dir, ONE_TASK)) {
            team.terminal.shows("claude", "claude-code/idle").fails(Call.PASTE, "can't find pane: %0");
            RunLoop loop = team.loop(RUN);
            loop.tick(); // the first look: a screen never seen before counts as just changed

            team.tickAfter(loop, Duration.ofSeconds(2));
            assertThat(team.console.toString()).contains("warning: could not send_prompt claude: can't find pane: %0");

            team.terminal.recovers(Call.PASTE);
            for (int i = 0; i < 5; i++) {
                team.tickAfter(loop, Duration.ofSeconds(2));
            }
            assertThat(team.terminal.pasted("claude")).isEmpty();
            assertThat(loop.board().record("t1").orElseThrow().state()).isEqualTo(TaskState.ASSIGNED);
        }
    }

    // ---- delivery retries -------------------------------------------------------------------------------------

    @Test
    void givenAPromptLeftInTheInputBox_whenEnterRetryAfterPasses_thenEnterIsPressedAgainAndThePromptIsNeverRetyped() throws Exception {
        try (FakeTeam team = claude(dir, ONE_TASK)) {
            team.terminal.shows("claude", "claude-code/idle")
                    .afterPasteShows("claude", "claude-code/unsubmitted-long-prompt")
                    .afterKeyShows("claude", "Enter", "claude-code/unsubmitted-long-prompt", "claude-code/working");
            RunLoop loop = team.loop(RUN);
            loop.tick(); // the first look: a screen never seen before counts as just changed

            team.tickAfter(loop, Duration.ofSeconds(2));
            assertThat(team.terminal.pasted("claude")).hasSize(1);
            assertThat(team.terminal.pressed("claude")).hasSize(1);

            team.tickAfter(loop, Duration.ofMillis(500));
            assertThat(team.terminal.pressed("claude")).as("not before enter_retry_after (1500ms)").hasSize(1);

            team.tickAfter(loop, Duration.ofSeconds(2));
            assertThat(team.terminal.pressed("claude")).containsExactly(List.of("Enter"), List.of("Enter"));
            assertThat(team.log("dispatch.log")).contains("pressed Enter again for t1 on claude");

            team.tickAfter(loop, Duration.ofSeconds(1));
            team.tickAfter(loop, Duration.ofSeconds(2));
            assertThat(team.terminal.pasted("claude")).hasSize(1);
            assertThat(team.terminal.pressed("claude")).hasSize(2);
            assertThat(loop.board().record("t1").orElseThrow().delivery().seenWorking()).isTrue();
        }
    }

    @Test
    void givenAPromptThatNeverLeavesTheInputBox_whenEnterHasBeenPressedMaxEnterPressesTimes_thenAPersonIsAlertedOnce() throws Exception {
        try (FakeTeam team = claude(dir, ONE_TASK)) {
            team.terminal.shows("claude", "claude-code/idle")
                    .afterPasteShows("claude", "claude-code/unsubmitted-long-prompt");
            RunLoop loop = team.loop(RUN);
            loop.tick(); // the first look: a screen never seen before counts as just changed

            team.tickAfter(loop, Duration.ofSeconds(2));
            for (int i = 0; i < 40; i++) {
                team.tickAfter(loop, Duration.ofMillis(250)); // each retry is decided anew once enter_retry_after passed
            }

            assertThat(team.terminal.pasted("claude")).hasSize(1);
            assertThat(team.terminal.pressed("claude")).as("max_enter_presses: 4\n" + team.console).hasSize(4);
            assertThat(count(team.console.toString(), "ALERT claude [t1]: the prompt of t1 is still in claude's input box"))
                    .isEqualTo(1);
        }
    }
}
