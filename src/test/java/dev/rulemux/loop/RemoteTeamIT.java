package dev.rulemux.loop;

import static dev.rulemux.loop.SimTeam.agent;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rulemux.App;
import dev.rulemux.Eventually;
import dev.rulemux.board.MemoryTaskBoard;
import dev.rulemux.config.Config;
import dev.rulemux.domain.Status;
import dev.rulemux.domain.TaskState;
import dev.rulemux.proc.SelfCommand;
import dev.rulemux.ssh.SshHosts;
import dev.rulemux.terminal.Pane;
import dev.rulemux.terminal.Terminal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A team spread over this machine and two "hosts" (real sshds on 127.0.0.1, see {@link SshHosts}), run by the loop
 * through one ssh connection per host.
 */
class RemoteTeamIT {

    private static final long RUN_TIMEOUT_S = 300;

    @TempDir
    Path dir;

    private static RunLoop.Options run() {
        return RunLoop.Options.run(false, true, Duration.ofMillis(200));
    }

    /** A sim-agent on {@code host}, working in {@code workdir} there; its command is written out (no rulemux there). */
    private static String remoteAgent(String name, String tier, String host, Path workdir, String... extra) {
        List<String> argv = SelfCommand.resolve(List.of("rulemux", "sim-agent", "--name", name, "--log", "prompts.log"));
        StringBuilder s = new StringBuilder();
        s.append("  - name: ").append(name).append('\n');
        s.append("    host: ").append(host).append('\n');
        s.append("    workdir: ").append(workdir).append('\n');
        s.append("    profile: sim-agent\n");
        s.append("    command: [").append(argv.stream().map(w -> "'" + w.replace("'", "''") + "'")
                .collect(Collectors.joining(", "))).append("]\n");
        s.append("    tier: ").append(tier).append('\n');
        for (String e : extra) {
            s.append("    ").append(e).append('\n');
        }
        return s.toString();
    }

    private SimTeam team(SshHosts hosts, String agents, String tasks) throws Exception {
        SimTeam team = new SimTeam(dir.resolve("team"), agents, tasks);
        Path yaml = team.dir.resolve("agents.yaml");
        Files.writeString(yaml, "ssh_config: " + hosts.sshConfig() + "\n" + Files.readString(yaml));
        hosts.tmuxSocket(team.tmux().socket());
        return team;
    }

    private static Path workdir(SshHosts hosts, String host) throws Exception {
        return Files.createDirectories(hosts.home(host).resolve("work"));
    }

    private static List<JsonNode> prompts(Path workdir) throws Exception {
        Path log = workdir.resolve("prompts.log");
        List<JsonNode> out = new ArrayList<>();
        if (!Files.exists(log)) {
            return out;
        }
        ObjectMapper json = new ObjectMapper();
        for (String line : Files.readAllLines(log, StandardCharsets.UTF_8)) {
            if (!line.isBlank() && json.readTree(line).has("prompt")) {
                out.add(json.readTree(line));
            }
        }
        return out;
    }

    private static List<String> taskIds(List<JsonNode> prompts) {
        return prompts.stream().map(p -> p.get("prompt").asText().replaceAll("(?s).*\\[rulemux task (\\S+)\\].*", "$1")).toList();
    }

    @Test
    void givenATeamOnThisMachineAndTwoHosts_whenRun_thenEveryTaskIsDoneOnceAndTheRemoteAgentsTakeTheirShare() throws Exception {
        String tasks = """
                tasks:
                  - {id: t1, complexity: low, prompt: "One [mock work=400ms]"}
                  - {id: t2, complexity: low, prompt: "Two [mock work=400ms]"}
                  - {id: t3, complexity: low, prompt: "Three [mock work=400ms]"}
                  - {id: t4, complexity: low, prompt: "Four [mock work=400ms]"}
                  - {id: t5, complexity: low, prompt: "Five [mock work=400ms]"}
                  - {id: t6, complexity: low, prompt: "Six [mock work=400ms]"}
                """;
        try (SshHosts hosts = SshHosts.start(dir.resolve("ssh"), "alpha", "beta")) {
            Path alphaWork = workdir(hosts, "alpha");
            Path betaWork = workdir(hosts, "beta");
            try (SimTeam team = team(hosts, agent("gamma", "low") + remoteAgent("al", "low", "alpha", alphaWork)
                    + remoteAgent("be", "low", "beta", betaWork), tasks)) {
                RunLoop loop = team.loop(run());

                assertThat(team.runInBackground(loop).get(RUN_TIMEOUT_S, TimeUnit.SECONDS)).isZero();

                assertThat(loop.board().tasks()).allSatisfy(t -> assertThat(t.state()).isEqualTo(TaskState.COMPLETED));
                List<String> here = taskIds(team.prompts());
                List<String> onAlpha = taskIds(prompts(alphaWork));
                List<String> onBeta = taskIds(prompts(betaWork));
                List<String> all = new ArrayList<>(here);
                all.addAll(onAlpha);
                all.addAll(onBeta);
                assertThat(all).as("each task's prompt arrived once, somewhere").containsExactlyInAnyOrder("t1", "t2", "t3", "t4", "t5", "t6");
                assertThat(onAlpha).as("al, on host alpha, worked").isNotEmpty();
                assertThat(onBeta).as("be, on host beta, worked").isNotEmpty();
                for (String id : onAlpha) {
                    assertThat(loop.board().lastAgent(id)).contains("al");
                }
                assertThat(hosts.connections("alpha")).as("one connection to alpha").hasSize(1);
                assertThat(hosts.connections("beta")).as("one connection to beta").hasSize(1);
            }
        }
    }

    @Test
    void givenATeamOnThisMachineAndAHost_thenHealthReportsTheHost_andWhenTheHostGoesDownItsAgentAsUnknownSayingWhy() throws Exception {
        try (SshHosts hosts = SshHosts.start(dir.resolve("ssh"), "alpha")) {
            Path work = workdir(hosts, "alpha");
            try (SimTeam team = team(hosts, agent("gamma", "low") + remoteAgent("al", "low", "alpha", work), "tasks: []\n")) {
                Config config = team.config();
                App app = new App(Clock.systemUTC());
                try (Terminal terminal = app.terminal(config, team.tmux());
                     dev.rulemux.rules.PolicyEngine policy = app.compilePolicy(config)) {
                    Team both = app.team(config, terminal);
                    both.start();
                    Eventually.until("both agents idle", () -> both.panes().size() == 2 && both.panes().values().stream()
                            .allMatch(p -> terminal.capture(p.id()).contains("context used")));

                    Health.Report up = new Health(config, policy, both, Clock.systemUTC()).check();

                    assertThat(up.ok()).as(up.toString()).isTrue();
                    assertThat(up.hosts()).singleElement().satisfies(h -> {
                        assertThat(h.host()).isEqualTo("alpha");
                        assertThat(h.reachable()).isTrue();
                        assertThat(h.latencyMs()).isNotNegative();
                        assertThat(h.tmux()).startsWith("tmux 3");
                        assertThat(h.agents()).containsExactly("al");
                    });
                    assertThat(up.agents().get("al").detail()).startsWith("pane alpha:%");

                    // when: the host goes away
                    hosts.stop("alpha");
                    Eventually.until("the link to notice", () -> {
                        try {
                            terminal.capture(both.panes().getOrDefault("al", new Pane("", "", 0, "alpha:%0", false, "", -1)).id());
                            return false;
                        } catch (dev.rulemux.terminal.TerminalException e) {
                            return true;
                        }
                    });
                    Health.Report down = new Health(config, policy, both, Clock.systemUTC()).check();

                    assertThat(down.ok()).isFalse();
                    assertThat(down.hosts()).singleElement().satisfies(h -> {
                        assertThat(h.reachable()).isFalse();
                        assertThat(h.problem()).isNotBlank();
                    });
                    assertThat(down.agents().get("al").status()).isEqualTo("UNKNOWN");
                    assertThat(down.agents().get("al").detail()).startsWith("its host alpha is down: ");
                    assertThat(down.agents().get("gamma").ok()).as("this machine's agent is unaffected").isTrue();
                }
            }
        }
    }

    @Test
    void givenThirtyAgentsOnOneHostWithMaxSessions10_whenStartedTypedIntoAndRead_thenItAllGoesThroughOneConnection() throws Exception {
        try (SshHosts hosts = SshHosts.start(dir.resolve("ssh"), "alpha")) {
            Path work = workdir(hosts, "alpha");
            StringBuilder agents = new StringBuilder();
            for (int i = 1; i <= 30; i++) {
                String name = String.format("a%02d", i);
                agents.append("  - name: ").append(name).append('\n')
                        .append("    host: alpha\n")
                        .append("    workdir: ").append(work).append('\n')
                        .append("    profile: shell\n")
                        .append("    command: [sh, -c, 'stty raw -echo; exec cat > \"$1.out\"', sh, ").append(name).append("]\n")
                        .append("    tier: low\n");
            }
            try (SimTeam team = team(hosts, agents.toString(), "tasks: []\n")) {
                Config config = team.config();
                App app = new App(Clock.systemUTC());
                try (Terminal terminal = app.terminal(config, team.tmux())) {
                    Team thirty = app.team(config, terminal);

                    assertThat(thirty.start()).hasSize(30);
                    Map<String, Pane> panes = Eventually.await("30 panes running cat", thirty::panes,
                            p -> p.size() == 30 && p.values().stream().allMatch(x -> x.currentCommand().equals("cat")));
                    assertThat(panes.values()).allSatisfy(p -> assertThat(p.id()).startsWith("alpha:%"));
                    panes.forEach((name, pane) -> terminal.paste(pane.id(), "the prompt of " + name + " $(id) `id`"));
                    for (String name : panes.keySet()) {
                        Path out = work.resolve(name + ".out");
                        String expected = "the prompt of " + name + " $(id) `id`";
                        Eventually.until(name + "'s prompt", () -> Files.exists(out) && Files.readString(out).equals(expected));
                    }
                    panes.values().forEach(p -> terminal.capture(p.id()));

                    assertThat(hosts.connections("alpha")).as("sshd serves one connection").hasSize(1);
                    assertThat(terminal.links()).singleElement().satisfies(l -> {
                        assertThat(l.up()).isTrue();
                        assertThat(l.connections()).isEqualTo(1);
                    });
                }
            }
        }
    }

    @Test
    void givenTheLinkCutWhileARemoteAgentWorks_thenItsTaskIsHeld_theLinkComesBack_andTheTaskIsDoneWithItsPromptSentOnce()
            throws Exception {
        String tasks = "tasks:\n  - {id: t1, complexity: low, prompt: \"Long work [mock work=6s]\"}\n";
        try (SshHosts hosts = SshHosts.start(dir.resolve("ssh"), "alpha")) {
            Path work = workdir(hosts, "alpha");
            try (SimTeam team = team(hosts, remoteAgent("al", "low", "alpha", work, "approvals: auto"), tasks)) {
                MemoryTaskBoard board = new MemoryTaskBoard(team.config().tasks(), Clock.systemUTC());
                RunLoop loop = team.loop(run(), board);
                Future<Integer> exit = team.runInBackground(loop);
                Eventually.until("t1 in progress on al", () -> board.record("t1").orElseThrow().state() == TaskState.IN_PROGRESS);

                // when: the host's sshd drops the connection
                hosts.cut("alpha");

                // then: the policy is told the host is down, and the task stays where it is
                Eventually.until("the host down alert", () -> team.log("orchestration.log").contains("al's host alpha is down"));
                assertThat(board.record("t1").orElseThrow().state()).isEqualTo(TaskState.IN_PROGRESS);
                // and then: the link comes back by itself, and the run ends with the task done, its prompt typed once
                assertThat(exit.get(RUN_TIMEOUT_S, TimeUnit.SECONDS)).isZero();
                assertThat(board.record("t1").orElseThrow().state()).isEqualTo(TaskState.COMPLETED);
                assertThat(board.record("t1").orElseThrow().attempts()).isEqualTo(1);
                assertThat(taskIds(prompts(work))).containsExactly("t1");
                assertThat(team.log("orchestration.log")).doesNotContain("goes back to the queue", "goes to its backup");
                assertThat(hosts.connections("alpha")).as("reconnected: one connection again").hasSize(1);
            }
        }
    }

    @Test
    void givenARemoteAgentThatSetsItsPanesReportOption_thenItsTaskIsCompletedAsByRulemuxReport() throws Exception {
        String tasks = "tasks:\n  - {id: t1, complexity: low, prompt: \"A long one [mock work=60s]\"}\n";
        try (SshHosts hosts = SshHosts.start(dir.resolve("ssh"), "alpha")) {
            Path work = workdir(hosts, "alpha");
            try (SimTeam team = team(hosts, remoteAgent("al", "low", "alpha", work), tasks)) {
                MemoryTaskBoard board = new MemoryTaskBoard(team.config().tasks(), Clock.systemUTC());
                RunLoop loop = team.loop(run(), board);
                Future<Integer> exit = team.runInBackground(loop);
                Eventually.until("t1 in progress on al", () -> board.record("t1").orElseThrow().state() == TaskState.IN_PROGRESS);

                // when: what the prompt tells a remote agent to run in its shell, run in its pane on the host
                String pane = hosts.tmux("alpha", team.tmux().socket(), List.of("list-panes", "-t", "=simteam:=al", "-F",
                        "#{pane_id}")).out().strip();
                assertThat(hosts.tmux("alpha", team.tmux().socket(), List.of("set-option", "-p", "-t", pane, "@rulemux-report",
                        "done t1 finished early; all 12 tests pass")).ok()).isTrue();

                // then
                assertThat(exit.get(RUN_TIMEOUT_S, TimeUnit.SECONDS)).isZero();
                assertThat(team.log("orchestration.log"))
                        .contains("t1 IN_PROGRESS -> COMPLETED: reported done by al: finished early; all 12 tests pass");
                assertThat(hosts.tmux("alpha", team.tmux().socket(), List.of("show-options", "-p", "-t", pane, "-v",
                        "@rulemux-report")).out()).as("taken once").isBlank();
                assertThat(loop.statuses().get("al")).isEqualTo(Status.WORKING);
            }
        }
    }
}
