package dev.rulemux.loop;

import static dev.rulemux.loop.SimTeam.agent;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rulemux.Eventually;
import dev.rulemux.board.MemoryTaskBoard;
import dev.rulemux.domain.Task;
import dev.rulemux.domain.TaskState;
import dev.rulemux.terminal.Pane;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The run loop against a team of sim-agents in real tmux. */
class RunLoopIT {

    /** A bound for a run that never ends, not a statement of speed: a loaded machine may take many times longer. */
    private static final long RUN_TIMEOUT_S = 300;

    @TempDir
    Path dir;

    private static RunLoop.Options run() {
        return RunLoop.Options.run(false, true, Duration.ofMillis(200));
    }

    @Test
    void everyTaskIsDoneOnAnAgentOfItsTierInDependencyOrderOnePromptPerAgentAtATime() throws Exception {
        String tasks = """
                tasks:
                  - {id: design, complexity: high, priority: high, prompt: "Design [mock work=1500ms]"}
                  - {id: model, complexity: medium, depends_on: [design], prompt: "Model [mock work=1s]"}
                  - {id: routes, complexity: medium, depends_on: [model], prompt: "Routes [mock work=1s tool=shell]"}
                  - {id: unit, complexity: low, depends_on: [model], prompt: "Unit tests [mock work=1s]"}
                  - {id: fixtures, complexity: low, priority: low, prompt: "Fixtures [mock work=1s]"}
                  - {id: lint, complexity: low, priority: high, prompt: "Lint [mock work=500ms]"}
                  - {id: review, complexity: high, depends_on: [routes, unit], prompt: "Review [mock work=1s]"}
                  - {id: docs, complexity: medium, priority: low, prompt: "Docs [mock work=500ms]"}
                """;
        try (SimTeam team = new SimTeam(dir, agent("alpha", "high", "approvals: auto")
                + agent("beta", "medium", "approvals: auto") + agent("gamma", "low", "approvals: auto"), tasks)) {
            RunLoop loop = team.loop(run());

            Future<Integer> exit = team.runInBackground(loop);

            assertThat(exit.get(RUN_TIMEOUT_S, TimeUnit.SECONDS)).isZero();
            assertThat(loop.board().tasks()).allSatisfy(t -> assertThat(t.state()).isEqualTo(TaskState.COMPLETED));
            Map<String, String> tierOf = Map.of("alpha", "high", "beta", "medium", "gamma", "low");
            for (Task t : loop.board().tasks()) {
                assertThat(tierOf.get(loop.board().lastAgent(t.id()).orElseThrow())).as(t.id())
                        .isEqualTo(t.complexity().label());
            }
            List<JsonNode> prompts = team.prompts();
            assertThat(prompts).as("each task's prompt arrives exactly once").hasSize(8);
            assertThat(order(prompts)).satisfies(o -> {
                assertThat(o.get("design")).isLessThan(o.get("model"));
                assertThat(o.get("model")).isLessThan(o.get("routes")).isLessThan(o.get("review"));
                assertThat(o.get("unit")).isLessThan(o.get("review"));
                assertThat(o.get("lint")).as("high priority first among the low tasks").isLessThan(o.get("fixtures"));
            });
            assertThat(team.log("dispatch.log")).contains("sent design to alpha", "sent lint to gamma");
            assertThat(team.log("orchestration.log")).contains("answered a dialog of beta");
            // a prompt is submitted straight from IDLE or, when the Enter was swallowed, from AWAITING_SUBMIT
            assertThat(team.log("monitor.log")).containsPattern("alpha (IDLE|AWAITING_SUBMIT) -> WORKING")
                    .contains("beta WORKING -> AWAITING_APPROVAL");
            // never two prompts on one agent at once: each agent's next prompt comes after its previous task completed
            assertThat(team.log("orchestration.log")).doesNotContain("ignored transition");
        }
    }

    @Test
    void anIdleAgentsRowIsRecordedAgainEveryFewSecondsSoThatStatusCanTellARunningLoopFromAStoppedOne() throws Exception {
        try (SimTeam team = new SimTeam(dir, agent("gamma", "low"), "tasks: []\n");
             dev.rulemux.store.StateStore store = dev.rulemux.store.StateStore.open(dir)) {
            RunLoop loop = team.loop(RunLoop.Options.run(false, false, Duration.ofMillis(200)), store, store);
            Future<Integer> running = team.runInBackground(loop);
            SimTeam.await(Eventually.GENEROUS, "gamma idle in the store", () -> store.agents().stream()
                    .anyMatch(a -> a.status() == dev.rulemux.domain.Status.IDLE));
            long first = store.agents().get(0).updatedAt();

            // when the loop goes on ticking past the heartbeat time, then the row is written again
            dev.rulemux.board.Journal.AgentState later = Eventually.await("gamma's row written again",
                    () -> store.agents().get(0), a -> a.updatedAt() > first);

            assertThat(later.status()).as("nothing changed on the screen").isEqualTo(dev.rulemux.domain.Status.IDLE);
            loop.stop();
            assertThat(running.get(RUN_TIMEOUT_S, TimeUnit.SECONDS)).isZero();
        }
    }

    @Test
    void aPromptLeftUnsubmittedByANaiveSendKeysIsSubmittedByPressingEnterNeverByRetyping() throws Exception {
        String tasks = "tasks:\n  - {id: t1, complexity: low, prompt: \"Do it [mock work=500ms]\"}\n";
        try (SimTeam team = new SimTeam(dir, agent("gamma", "low"), tasks)) {
            RunLoop loop = team.loop(run());
            Team tmuxTeam = new Team(team.config(), team.tmux(), java.time.Clock.systemUTC());
            tmuxTeam.start();
            Pane pane = tmuxTeam.panes().get("gamma");
            SimTeam.await(Eventually.GENEROUS, "the sim-agent to start", () -> team.tmux().capture(pane.id()).contains("context used"));
            // the user's way: text and Enter in one send-keys; the agent's paste detection keeps it as a draft
            team.tmux().typeLiteral(pane.id(), "a long hand-typed prompt that the agent will not submit");
            SimTeam.await(Eventually.GENEROUS, "the draft", () -> team.tmux().capture(pane.id()).contains("> a long hand-typed"));

            loop.tick();
            assertThat(loop.statuses().get("gamma")).hasToString("AWAITING_SUBMIT");
            assertThat(loop.board().tasks().get(0).state()).as("a busy agent gets no task").isEqualTo(TaskState.PENDING);
            assertThat(team.prompts()).isEmpty();
        }
    }

    @Test
    void anEnterSwallowedByTheAgentsPasteDetectionIsPressedAgainAndThePromptArrivesOnce() throws Exception {
        String tasks = "tasks:\n  - {id: t1, complexity: low, prompt: \"Do it [mock work=300ms]\"}\n";
        String slowPaste = agent("gamma", "low").replace("--log, prompts.log]", "--log, prompts.log, --paste-grace-ms, '2000']");
        try (SimTeam team = new SimTeam(dir, slowPaste + "    policy: {enter_retry_after: 900ms}\n", tasks)) {
            RunLoop loop = team.loop(run());

            assertThat(team.runInBackground(loop).get(RUN_TIMEOUT_S, TimeUnit.SECONDS)).isZero();

            assertThat(team.prompts()).singleElement().satisfies(p ->
                    assertThat(p.get("prompt").asText().strip()).startsWith("[rulemux task t1]").endsWith("one-line summary."));
            assertThat(team.log("dispatch.log")).contains("pressed Enter again for t1 on gamma");
            assertThat(team.log("dispatch.log").split("sent t1", -1)).as("typed once").hasSize(2);
        }
    }

    @Test
    void aPromptThatStaysUnsubmittedAfterMaxEnterPressesIsShownToAPerson() throws Exception {
        String tasks = "tasks:\n  - {id: t1, complexity: low, prompt: \"Do it\"}\n";
        String neverSubmits = agent("gamma", "low").replace("--log, prompts.log]", "--log, prompts.log, --paste-grace-ms, '600000']");
        try (SimTeam team = new SimTeam(dir, neverSubmits + "    policy: {enter_retry_after: 300ms, max_enter_presses: 3}\n", tasks)) {
            RunLoop loop = team.loop(RunLoop.Options.run(false, false, Duration.ofMillis(100)));
            team.runInBackground(loop);

            SimTeam.await(Eventually.GENEROUS, "the alert", () -> team.log("orchestration.log").contains("ALERT gamma [t1]"));

            assertThat(team.log("orchestration.log")).contains("still in gamma's input box after Enter was pressed 3 times");
            assertThat(team.log("dispatch.log").split("pressed Enter again", -1)).hasSize(3);
            assertThat(team.prompts()).isEmpty();
        }
    }

    @Test
    void aDeliveryRecordedByARunThatDiedBeforeTypingIsDeliveredOnceAfterARestart() throws Exception {
        String tasks = "tasks:\n  - {id: t1, complexity: low, prompt: \"Do it [mock work=500ms]\"}\n";
        try (SimTeam team = new SimTeam(dir, agent("gamma", "low"), tasks)) {
            MemoryTaskBoard board = new MemoryTaskBoard(team.config().tasks(), java.time.Clock.systemUTC());
            // the earlier run recorded the delivery, then died before pasting anything
            board.delivered("t1", "gamma", System.currentTimeMillis() - 60_000, null);
            RunLoop loop = team.loop(run(), board);

            assertThat(team.runInBackground(loop).get(RUN_TIMEOUT_S, TimeUnit.SECONDS)).isZero();

            assertThat(team.log("orchestration.log")).contains("t1 ASSIGNED -> PENDING: found in flight after a restart, but its prompt "
                    + "is nowhere on gamma's screen and gamma is idle: it never got it");
            assertThat(team.prompts()).as("delivered once, after the restart").hasSize(1);
            assertThat(board.record("t1").orElseThrow().state()).isEqualTo(TaskState.COMPLETED);
        }
    }

    @Test
    void aTaskThatFailsItsCheckComesBackWithTheFailureInTheRetryPromptUntilItPasses() throws Exception {
        String tasks = """
                tasks:
                  - id: t1
                    complexity: low
                    prompt: "Make the check pass [mock work=300ms]"
                    verify: |-
                      sh -c 'test -f ok.marker || { touch ok.marker; echo "1 test failed: marker missing"; exit 3; }'
                """;
        try (SimTeam team = new SimTeam(dir, agent("gamma", "low"), tasks)) {
            RunLoop loop = team.loop(run());

            assertThat(team.runInBackground(loop).get(RUN_TIMEOUT_S, TimeUnit.SECONDS)).isZero();

            List<JsonNode> prompts = team.prompts();
            assertThat(prompts).hasSize(2);
            assertThat(prompts.get(1).get("prompt").asText()).contains("[rulemux task t1] t1 (attempt 2)",
                    "did not pass its check", "1 test failed: marker missing", "Make the check pass");
            assertThat(team.log("orchestration.log")).contains("t1 VERIFYING -> PENDING: its check failed (exit 3) on attempt 1 of 3",
                    "t1 VERIFYING -> COMPLETED: its check passed");
            assertThat(loop.board().record("t1").orElseThrow().attempts()).isEqualTo(2);
        }
    }

    @Test
    void givenPromptFilesThatBecameUnreadableAfterValidation_whenTheirTasksAreDue_thenEachFailsOnceWithItsReasonAndTheQueueMovesOn()
            throws Exception {
        dev.rulemux.ConfigDirs.write(dir, "latin1.md", "Fine when validated");
        dev.rulemux.ConfigDirs.write(dir, "gone.md", "Fine when validated");
        String tasks = """
                tasks:
                  - {id: latin1, complexity: low, priority: high, prompt_file: latin1.md}
                  - {id: gone, complexity: low, priority: high, prompt_file: gone.md}
                  - {id: good, complexity: low, priority: low, prompt: "The good one [mock work=300ms]"}
                """;
        try (SimTeam team = new SimTeam(dir, agent("gamma", "low", "approvals: auto"), tasks)) {
            RunLoop loop = team.loop(run());
            // given: after validation, one prompt file stops being UTF-8 and the other is deleted
            Files.write(dir.resolve("latin1.md"), new byte[] {'c', 'a', 'f', (byte) 0xE9, '\n'});
            Files.delete(dir.resolve("gone.md"));

            // when: the run goes until no task is left to do
            assertThat(team.runInBackground(loop).get(RUN_TIMEOUT_S, TimeUnit.SECONDS)).isZero();

            // then: both bad tasks failed, once each, saying why; the good one was sent and done
            assertThat(loop.board().tasks()).extracting(t -> t.id() + ":" + t.state())
                    .containsExactly("latin1:FAILED", "gone:FAILED", "good:COMPLETED");
            assertThat(loop.board().record("latin1").orElseThrow().note())
                    .contains("its prompt could not be built", "cannot read prompt_file " + dir.resolve("latin1.md"), "UTF-8");
            assertThat(loop.board().record("gone").orElseThrow().note())
                    .contains("its prompt could not be built", "cannot read prompt_file " + dir.resolve("gone.md"));
            assertThat(loop.board().record("latin1").orElseThrow().attempts()).as("never delivered").isZero();
            assertThat(team.prompts()).singleElement().satisfies(p -> assertThat(p.get("prompt").asText()).contains("The good one"));
            String log = team.log("orchestration.log");
            for (String id : List.of("latin1", "gone")) {
                assertThat(log.lines().filter(l -> l.contains(id + " PENDING -> FAILED"))).as(id + "'s transition").hasSize(1);
                assertThat(log.lines().filter(l -> l.contains("ALERT") && l.contains("[" + id + "]"))).as(id + "'s alert").hasSize(1);
            }
            assertThat(team.console.toString()).doesNotContain("could not send_prompt");
        }
    }

    @Test
    void givenAnAgentWaitingForAPersonsApproval_whenTicksGoBy_thenNotifyIsRunOnceSayingInputIsNeeded_andOnceMoreForABlockedTask()
            throws Exception {
        String tasks = "tasks:\n  - {id: t1, complexity: low, prompt: \"Run it [mock work=1s tool=shell]\"}\n";
        try (SimTeam team = new SimTeam(dir, agent("gamma", "low", "approvals: ask"), tasks)) {
            // notify appends each message it is given to notified.log, in the config directory where it runs
            dev.rulemux.ConfigDirs.write(dir, "agents.yaml", "notify: [sh, -c, 'printf \"%s\\n\" \"$1\" >> notified.log', notify]\n"
                    + Files.readString(dir.resolve("agents.yaml")));
            MemoryTaskBoard board = new MemoryTaskBoard(team.config().tasks(), java.time.Clock.systemUTC());
            RunLoop loop = team.loop(RunLoop.Options.run(false, false, Duration.ofMillis(150)), board);
            java.util.concurrent.atomic.AtomicInteger ticks = new java.util.concurrent.atomic.AtomicInteger();
            loop.afterEachTick(c -> ticks.incrementAndGet());
            team.runInBackground(loop);

            // given: gamma shows its approval dialog, and a person is told
            SimTeam.await(Eventually.GENEROUS, "the approval notified", () -> notified().size() >= 1);
            // when: more ticks go by with the dialog still up, then gamma reports its task blocked
            int at = ticks.get();
            SimTeam.await(Eventually.GENEROUS, "five more ticks", () -> ticks.get() >= at + 5);
            board.report("t1", dev.rulemux.domain.ReportOutcome.BLOCKED, "needs the staging password", "gamma",
                    System.currentTimeMillis());
            SimTeam.await(Eventually.GENEROUS, "the blocked task notified", () -> notified().size() >= 2);

            // then: notify ran one message at a time, in order, so a repeat of the first would be before the second
            assertThat(notified()).hasSize(2);
            assertThat(notified().get(0)).startsWith("rulemux needs input: gamma: gamma asks for approval (approvals: ask): ");
            assertThat(notified().get(1)).isEqualTo("rulemux needs input: gamma [t1]: t1 is blocked: needs the staging password; "
                    + "rulemux task retry t1 when it can go on");
            String log = team.log("orchestration.log");
            assertThat(log.lines().filter(l -> l.contains("NEEDS INPUT gamma: gamma asks for approval"))).hasSize(1);
            assertThat(log).as("told as needing input, not as an ordinary alert too").doesNotContain("ALERT");
        }
    }

    private List<String> notified() {
        try {
            Path file = dir.resolve("notified.log");
            return Files.exists(file) ? Files.readAllLines(file) : List.of();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void anAgentsReportCompletesItsTaskBeforeItsTurnEnds() throws Exception {
        String tasks = "tasks:\n  - {id: t1, complexity: low, prompt: \"A long one [mock work=30s]\"}\n";
        try (SimTeam team = new SimTeam(dir, agent("gamma", "low"), tasks)) {
            MemoryTaskBoard board = new MemoryTaskBoard(team.config().tasks(), java.time.Clock.systemUTC());
            RunLoop loop = team.loop(run(), board);
            java.util.concurrent.Future<Integer> exit = team.runInBackground(loop);
            SimTeam.await(Eventually.GENEROUS, "t1 in progress", () -> board.record("t1").orElseThrow().state() == TaskState.IN_PROGRESS);

            // what `rulemux report done t1` does from the agent's shell
            board.report("t1", dev.rulemux.domain.ReportOutcome.DONE, "finished early", "gamma", System.currentTimeMillis());

            assertThat(exit.get(RUN_TIMEOUT_S, TimeUnit.SECONDS)).isZero();
            assertThat(team.log("orchestration.log")).contains("t1 IN_PROGRESS -> COMPLETED: reported done by gamma: finished early");
            assertThat(loop.statuses().get("gamma")).as("the agent is still at its turn").hasToString("WORKING");
        }
    }

    @Test
    void aDryRunDecidesButSendsNothing() throws Exception {
        String tasks = "tasks:\n  - {id: t1, complexity: low, prompt: \"Do it\"}\n  - {id: t2, complexity: low, prompt: \"And this\"}\n";
        try (SimTeam team = new SimTeam(dir, agent("gamma", "low"), tasks)) {
            Team tmuxTeam = new Team(team.config(), team.tmux(), java.time.Clock.systemUTC());
            tmuxTeam.start();
            Pane pane = tmuxTeam.panes().get("gamma");
            SimTeam.await(Eventually.GENEROUS, "the sim-agent to start", () -> team.tmux().capture(pane.id()).contains("context used"));
            String before = team.tmux().capture(pane.id());
            RunLoop loop = team.loop(RunLoop.Options.run(true, false, Duration.ofMillis(100)));

            // when it ticks until it would send, then twenty ticks more, each of which would have sent again
            tickUntil(loop, "would send_prompt gamma t1", () -> team.console.toString().contains("would send_prompt gamma t1"));
            tick(loop, 20);

            assertThat(team.console.toString().split("would send_prompt gamma t1", -1)).as("printed once").hasSize(2);
            assertThat(team.prompts()).isEmpty();
            assertThat(team.tmux().capture(pane.id())).isEqualTo(before);
            assertThat(loop.board().tasks()).allSatisfy(t -> assertThat(t.state()).isEqualTo(TaskState.PENDING));
        }
    }

    @Test
    void aDryRunStartsNoSession() {
        try (SimTeam team = new SimTeam(dir, agent("gamma", "low"), "tasks: []\n")) {
            RunLoop loop = team.loop(RunLoop.Options.run(true, false, Duration.ofMillis(100)));
            loop.tick();
            assertThat(team.tmux().hasSession("simteam")).isFalse();
            assertThat(team.console.toString()).contains("a dry run starts nothing");
        }
    }

    @Test
    void aRuleEditTakesEffectWithinASecondAndABrokenEditKeepsThePreviousRules() throws Exception {
        try (SimTeam team = new SimTeam(dir, agent("gamma", "low"), "tasks:\n  - {id: t1, complexity: low, prompt: \"x\"}\n")) {
            Team tmuxTeam = new Team(team.config(), team.tmux(), java.time.Clock.systemUTC());
            tmuxTeam.start();
            Pane pane = tmuxTeam.panes().get("gamma");
            SimTeam.await(Eventually.GENEROUS, "the sim-agent to start", () -> team.tmux().capture(pane.id()).contains("context used"));
            RunLoop loop = team.loop(RunLoop.Options.run(true, false, Duration.ofMillis(100)));
            tickUntil(loop, "would send_prompt gamma t1", () -> team.console.toString().contains("would send_prompt gamma t1"));

            // a user rule in the config directory overrides the shipped dispatch.drl: nothing is dispatched
            Path rule = dev.rulemux.ConfigDirs.write(dir, "rules/dispatch.drl",
                    "package rulemux.policy;\nimport dev.rulemux.domain.*;\nrule \"Nothing is dispatched\"\nwhen\n    Agent( name == \"nobody\" )\nthen\nend\n");
            // (the run looks at its files once a second: the edit is taken at a tick within a second of it)
            tickUntil(loop, "the rules reloaded", () -> team.console.toString().contains("rules reloaded"));

            Files.writeString(rule, "package rulemux.policy;\nrule \"Broken\"\nwhen\n    Agent( \nthen\nend\n");
            tickUntil(loop, "the broken edit reported", () -> team.console.toString()
                    .contains("rule edit not applied, the previous rules keep running: " + rule + ":"));
        }
    }

    @Test
    void stoppingTheLoopLeavesTheAgentsRunning() throws Exception {
        try (SimTeam team = new SimTeam(dir, agent("gamma", "low"), "tasks: []\n")) {
            RunLoop loop = team.loop(RunLoop.Options.run(false, false, Duration.ofMillis(100)));
            Future<Integer> exit = team.runInBackground(loop);
            SimTeam.await(Eventually.GENEROUS, "the team to start", () -> team.tmux().hasSession("simteam"));

            loop.stop();

            assertThat(exit.get(RUN_TIMEOUT_S, TimeUnit.SECONDS)).isZero();
            assertThat(team.tmux().panes("simteam")).singleElement().satisfies(p -> assertThat(p.dead()).isFalse());
            assertThat(team.console.toString()).contains("stopped; the agents keep running");
        }
    }

    /**
     * Ticks, at the loop's own pace, until {@code done} holds (a screen seen for the first time counts as just changed,
     * working, for a while); fails after a generous wait.
     */
    private static void tickUntil(RunLoop loop, String what, java.util.function.BooleanSupplier done) {
        SimTeam.await(Eventually.GENEROUS, what, () -> {
            loop.tick();
            return done.getAsBoolean();
        });
    }

    /** Ticks {@code n} times at the loop's pace of 100 ms. */
    private static void tick(RunLoop loop, int n) throws InterruptedException {
        for (int i = 0; i < n; i++) {
            Thread.sleep(100);
            loop.tick();
        }
    }

    private static Map<String, Integer> order(List<JsonNode> prompts) {
        Map<String, Integer> at = new HashMap<>();
        for (int i = 0; i < prompts.size(); i++) {
            String text = prompts.get(i).get("prompt").asText();
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("\\[rulemux task (\\S+)]").matcher(text);
            if (m.find()) {
                at.put(m.group(1), i);
            }
        }
        return at;
    }
}
