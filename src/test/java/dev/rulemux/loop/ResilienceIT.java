package dev.rulemux.loop;

import static dev.rulemux.loop.SimTeam.agent;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rulemux.Eventually;
import dev.rulemux.domain.Status;
import dev.rulemux.domain.TaskState;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The resilience policies end to end, with sim-agents in real tmux. */
class ResilienceIT {

    /** A bound for a run that never ends, not a statement of speed: a loaded machine may take many times longer. */
    private static final long RUN_TIMEOUT_S = 300;

    @TempDir
    Path dir;

    private static RunLoop.Options run() {
        return RunLoop.Options.run(false, true, Duration.ofMillis(150));
    }

    private static String sim(String name, String tier, String simOptions, String... extra) {
        return agent(name, tier, extra).replace("--log, prompts.log]", "--log, prompts.log" + simOptions + "]");
    }

    @Test
    void anAgentNearTheEndOfItsContextWritesAHandoffNoteAndItsTaskGoesToItsBackupWithIt() throws Exception {
        String tasks = "tasks:\n  - {id: big, complexity: high, prompt: \"A big job [mock tokens=185000 work=8s]\"}\n";
        try (SimTeam team = new SimTeam(dir, sim("alpha", "high", "", "backup: beta") + sim("beta", "medium", ""), tasks)) {
            RunLoop loop = team.loop(run());

            assertThat(team.runInBackground(loop).get(RUN_TIMEOUT_S, TimeUnit.SECONDS)).isZero();

            assertThat(team.log("orchestration.log")).contains("asked alpha to write its handoff note",
                    "big IN_PROGRESS -> PENDING (for beta): alpha wrote its handoff note", "handed big over to beta and cleared alpha (/clear)");
            Path note = dir.resolve("handoff/alpha-big.md");
            assertThat(note).content().contains("## Remaining work");
            List<JsonNode> prompts = team.prompts();
            JsonNode toBeta = prompts.stream().filter(p -> p.get("agent").asText().equals("beta")).findFirst().orElseThrow();
            assertThat(toBeta.get("prompt").asText()).contains("[rulemux task big] big (handed over from alpha)",
                    "## Remaining work", "A big job");
            assertThat(prompts).anySatisfy(p -> assertThat(p.get("prompt").asText()).isEqualTo("/clear"));
            assertThat(loop.board().record("big").orElseThrow()).satisfies(r -> {
                assertThat(r.state()).isEqualTo(TaskState.COMPLETED);
                assertThat(r.lastAgent()).isEqualTo("beta");
            });
        }
    }

    @Test
    void aStuckAgentIsNudgedThenInterruptedAndGivenItsTaskAgainThenRestarted() throws Exception {
        String tasks = "tasks:\n  - {id: hang, complexity: low, prompt: \"This one hangs [mock stall work=10m]\"}\n";
        try (SimTeam team = new SimTeam(dir, sim("gamma", "low", "", "policy: {stuck_after: 2s}"), tasks)) {
            RunLoop loop = team.loop(RunLoop.Options.run(false, false, Duration.ofMillis(150)));
            team.runInBackground(loop);

            try {
                SimTeam.await(Eventually.GENEROUS, "the restart", () -> team.log("orchestration.log").contains("restarted gamma"));
            } catch (AssertionError e) {
                throw new AssertionError(e.getMessage() + "\n" + team.log("orchestration.log"), e);
            }

            String log = team.log("orchestration.log");
            int nudged = log.indexOf("nudged gamma: gamma is stuck on hang");
            int interrupted = log.indexOf("interrupted gamma: gamma is still stuck on hang after a reminder");
            int sentAgain = log.indexOf("hang IN_PROGRESS -> PENDING (for gamma): gamma was stuck: hang is sent to it again");
            int restarted = log.indexOf("restarted gamma: gamma is still stuck after a reminder and an interrupt");
            assertThat(nudged).isPositive();
            // the interrupt and the re-send are decided in the same tick (the transition is logged first)
            assertThat(interrupted).isGreaterThan(nudged);
            assertThat(sentAgain).isGreaterThan(nudged);
            assertThat(restarted).isGreaterThan(interrupted).isGreaterThan(sentAgain);
            assertThat(team.prompts()).anySatisfy(p -> assertThat(p.get("prompt").asText()).startsWith("[rulemux reminder]"));
        }
    }

    @Test
    void aCrashingAgentIsRestartedWithBackoffThenTakenOutOfServiceAndAPersonIsTold() throws Exception {
        String crashy = """
                  - name: crashy
                    profile: shell
                    command: [sh, -c, "sleep 1; exit 1"]
                    tier: low
                    policy: {restart_backoff: 300ms, crash_window: 2m}
                """;
        try (SimTeam team = new SimTeam(dir, crashy, "tasks: []\n")) {
            RunLoop loop = team.loop(RunLoop.Options.run(false, false, Duration.ofMillis(150)));
            AtomicInteger ticks = new AtomicInteger();
            loop.afterEachTick(c -> ticks.incrementAndGet());
            team.runInBackground(loop);

            SimTeam.await(Eventually.GENEROUS, "the agent taken out of service",
                    () -> team.log("orchestration.log").contains("ALERT crashy: crashy keeps crashing or sticking (restarted 3 times"));

            String log = team.log("orchestration.log");
            assertThat(log).contains("restarted crashy: crashy exited (its pane is dead)",
                    "restart 2 within crash_window, after a backoff of 0 s", "restart 3 within crash_window");
            assertThat(log.split("restarted crashy", -1)).as("three restarts, then none").hasSize(4);
            // when its last start has exited too, and the loop has ticked on well past the backoff a fourth restart
            // would wait (300 ms x 2^3 = 2.4 s; thirty ticks of 150 ms are at least 4.5 s)
            SimTeam.await(Eventually.GENEROUS, "crashy seen exited", () -> loop.statuses().get("crashy") == Status.EXITED);
            int exitedAt = ticks.get();
            SimTeam.await(Eventually.GENEROUS, "thirty more ticks", () -> ticks.get() >= exitedAt + 30);
            // then it was not restarted again
            assertThat(team.log("orchestration.log").split("restarted crashy", -1)).hasSize(4);
            assertThat(loop.statuses().get("crashy")).isEqualTo(Status.EXITED);
        }
    }

    @Test
    void aTaskThatHitAUsageLimitIsSentAgainOnceTheLimitResetsWithNoPerson() throws Exception {
        String tasks = "tasks:\n  - {id: quota, complexity: low, prompt: \"Needs quota [mock limit=usage fail=1 work=500ms]\"}\n";
        try (SimTeam team = new SimTeam(dir, sim("gamma", "low", ", --limit-reset, 5s"), tasks)) {
            RunLoop loop = team.loop(run());

            assertThat(team.runInBackground(loop).get(RUN_TIMEOUT_S, TimeUnit.SECONDS)).isZero();

            assertThat(team.log("monitor.log")).contains("-> RATE_LIMITED: a limit or API error is shown");
            assertThat(team.log("orchestration.log")).contains("is sent to it again");
            assertThat(team.prompts()).hasSize(2);
            assertThat(loop.board().record("quota").orElseThrow().state()).isEqualTo(TaskState.COMPLETED);
        }
    }

    @Test
    void aTaskOnAnAgentUnderALongLimitGoesToItsBackup() throws Exception {
        String tasks = "tasks:\n  - {id: quota, complexity: low, prompt: \"Needs quota [mock limit=usage fail=1 work=500ms]\"}\n";
        // the backup is another sim-agent process: it hits the (fail=1) limit once too, briefly
        try (SimTeam team = new SimTeam(dir, sim("gamma", "low", ", --limit-reset, 10m", "backup: delta",
                "policy: {release_rate_limited_after: 2s}") + sim("delta", "medium", ", --limit-reset, 1s"), tasks)) {
            RunLoop loop = team.loop(run());

            assertThat(team.runInBackground(loop).get(RUN_TIMEOUT_S, TimeUnit.SECONDS)).isZero();

            assertThat(team.log("orchestration.log")).contains("quota IN_PROGRESS -> PENDING (for delta): gamma has been rate limited for",
                    "sent quota to delta", "a handoff from gamma): delta is idle with nothing in flight, and quota was handed to delta");
            assertThat(loop.board().record("quota").orElseThrow()).satisfies(r -> {
                assertThat(r.state()).isEqualTo(TaskState.COMPLETED);
                assertThat(r.lastAgent()).isEqualTo("delta");
            });
        }
    }

    @Test
    void everyAlertRunsTheNotifyCommandWithItsText() throws Exception {
        String tasks = "tasks:\n  - {id: risky, complexity: low, prompt: \"Run it [mock tool=shell work=2s]\"}\n";
        try (SimTeam team = new SimTeam(dir, sim("gamma", "low", "", "approvals: ask"), tasks)) {
            Path agents = dir.resolve("agents.yaml");
            Files.writeString(agents, Files.readString(agents).replace("agents:\n",
                    "notify: [sh, -c, 'printf \"%s\\\\n\" \"$0\" >> notified.txt']\nagents:\n"));
            RunLoop loop = team.loop(RunLoop.Options.run(false, false, Duration.ofMillis(150)));
            team.runInBackground(loop);

            SimTeam.await(Eventually.GENEROUS, "the notification", () -> Files.exists(dir.resolve("notified.txt")));

            assertThat(dir.resolve("notified.txt")).content().contains("gamma: gamma asks for approval (approvals: ask): Run this command?");
            assertThat(team.log("orchestration.log")).contains("NEEDS INPUT gamma: gamma asks for approval");
            assertThat(loop.board().record("risky").orElseThrow().state()).as("the task waits for the person")
                    .isIn(TaskState.ASSIGNED, TaskState.IN_PROGRESS);
        }
    }
}
