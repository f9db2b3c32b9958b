package dev.rulemux.cli;

import static dev.rulemux.ConfigDirs.write;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** rulemux validate and rulemux decide, as a user runs them. */
class ValidateAndDecideTest {

    static final String TEAM = "src/test/resources/policy-team";
    static final String SCREENS = "src/test/resources/screens/";

    @TempDir
    Path dir;

    @Test
    void validatePassesOnTheRepositorysConfigAndSaysWhatItChecked() throws Exception {
        long drl;
        try (var files = Files.list(Path.of("rules"))) {
            drl = files.filter(f -> f.toString().endsWith(".drl")).count();
        }
        Cli r = Cli.run("validate", "--config", ".");

        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).contains("4 agents (claude, amp, gemini, codex)", "6 tasks",
                "profiles: aider, amp, claude-code, codex, gemini, opencode, qwen-code, shell, sim-agent", "rules: " + drl + " files").endsWith("ok\n");
    }

    @Test
    void badYamlIsReportedAtItsFileAndLineWithExitCode2() {
        write(dir, "agents.yaml", "session: s\nagents:\n  - name: a\n    profile: shell\n    command: bash\n    tier: top\n");

        Cli r = Cli.run("validate", "--config", dir.toString());

        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).isEqualTo("error: " + dir.resolve("agents.yaml") + ":6: agents[0].tier: must be one of high|medium|low, not \"top\"\n");
    }

    /** The two commands that load a configuration and must refuse a bad one alike. */
    private static final List<List<String>> VALIDATE_AND_DRY_RUN =
            List.of(List.of("validate"), List.of("run", "--dry-run", "--max-time", "0s"));

    private Cli onConfig(List<String> argv) {
        List<String> args = new ArrayList<>(argv);
        args.addAll(List.of("--config", dir.toString()));
        return Cli.run(args.toArray(String[]::new));
    }

    @Test
    void givenAnAgentWorkingInTheConfigDirectory_whenValidatedOrRun_thenBothRefuseWithExitCode2NamingFileAgentAndField() {
        write(dir, "agents.yaml", "session: s\nagents:\n  - name: a\n    profile: shell\n    command: bash\n    tier: low\n"
                + "    workdir: .\n");

        for (List<String> argv : VALIDATE_AND_DRY_RUN) {
            String command = argv.get(0);
            Cli r = onConfig(argv);

            assertThat(r.exit()).as(command + ": " + r.out() + r.err()).isEqualTo(2);
            assertThat(r.err()).as(command).startsWith("error: " + dir.resolve("agents.yaml") + ":7: agents[0].workdir: agent a's workdir ")
                    .contains("contains the config directory", "trust_workdir_config: true");
        }
    }

    @Test
    void givenATrustedAgentWorkingInTheConfigDirectory_whenValidated_thenItPassesWithAWarning() {
        write(dir, "agents.yaml", "session: s\nagents:\n  - name: a\n    profile: shell\n    command: bash\n    tier: low\n"
                + "    workdir: .\n    trust_workdir_config: true\n");

        Cli r = Cli.run("validate", "--config", dir.toString());

        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).contains("warning: " + dir.resolve("agents.yaml") + ":7: agents[0].workdir: TRUSTED").endsWith("ok\n");
    }

    @Test
    void badDrlIsReportedAtItsFileAndLineWithExitCode2() {
        write(dir, "agents.yaml", "session: s\nagents:\n  - {name: a, profile: shell, command: bash, tier: low}\n");
        Path rule = write(dir, "rules/mine.drl", "package rulemux.policy;\nimport dev.rulemux.domain.*;\n\nrule \"Mine\"\nwhen\n    Agent( tier == 7 )\nthen\nend\n");

        Cli r = Cli.run("validate", "--config", dir.toString());

        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).startsWith("error: " + rule + ":6: ");
    }

    @Test
    void givenARuleReadingAKnobPolicyYamlDoesNotDefine_whenValidatedOrRun_thenBothRefuseWithExitCode2NamingFileLineAndKnob() {
        write(dir, "agents.yaml", "session: s\nagents:\n  - {name: a, profile: shell, command: bash, tier: low}\n");
        Path rule = write(dir, "rules/mine.drl", "package rulemux.policy;\nimport dev.rulemux.domain.*;\n\nrule \"Mine\"\nwhen\n"
                + "    $p : Policy( $a : agent )\n    PaneSnapshot( agent == $a, unchangedMs >= $p.millis(\"stuck_aftr\") )\nthen\nend\n");

        for (List<String> argv : VALIDATE_AND_DRY_RUN) {
            String command = argv.get(0);
            Cli r = onConfig(argv);

            assertThat(r.exit()).as(command + ": " + r.out() + r.err()).isEqualTo(2);
            assertThat(r.err()).as(command).startsWith("error: " + rule + ":7: stuck_aftr: is not a policy knob: rule \"Mine\" reads it");
        }
    }

    @Test
    void decidePrintsEachStatusThenEachActionAsJsonLines() throws Exception {
        Cli r = Cli.run("decide", "--config", TEAM, "--screen", "claude=" + SCREENS + "claude-code/idle.txt",
                "--screen", "codex=" + SCREENS + "codex/context-98.txt", "--assigned", "codex=small", "--json");

        assertThat(r.exit()).as(r.err()).isZero();
        List<JsonNode> lines = json(r.out());
        assertThat(lines).hasSize(4);
        assertThat(lines.get(0).toString()).isEqualTo("{\"kind\":\"status\",\"agent\":\"claude\",\"status\":\"IDLE\","
                + "\"context_used_percent\":null,\"reason\":\"its input box is empty\"}");
        assertThat(lines.get(1).get("status").asText()).isEqualTo("IDLE");
        assertThat(lines.get(1).get("context_used_percent").asInt()).isEqualTo(98);
        assertThat(lines.subList(2, 4)).extracting(l -> l.get("kind").asText() + " " + l.get("action").asText() + " "
                + l.get("agent").asText() + " " + l.get("task").asText())
                .containsExactlyInAnyOrder("action send_prompt claude arch", "action handoff codex small");
        assertThat(lines.stream().filter(l -> l.path("action").asText().equals("handoff")).findFirst().orElseThrow()
                .get("target").asText()).isEqualTo("claude");
    }

    @Test
    void decideOnAWorkingAgentNeverSendsAPrompt() {
        Cli r = Cli.run("decide", "--config", TEAM, "--screen", "claude=" + SCREENS + "claude-code/working.txt");

        assertThat(r.out()).contains("claude  WORKING").contains("no actions");
    }

    @Test
    void decideOnAnUnsubmittedPromptInFlightPressesEnter() {
        Cli r = Cli.run("decide", "--config", TEAM, "--screen", "codex=" + SCREENS + "codex/unsubmitted-long-prompt.txt",
                "--assigned", "codex=small");

        assertThat(r.out()).contains("codex  AWAITING_SUBMIT").containsPattern("press_enter\\s+codex\\s+small");
    }

    @Test
    void explainNamesTheMarkersThatMatchedAndTheRulesThatFired() {
        Cli r = Cli.run("decide", "--config", TEAM, "--screen", "codex=" + SCREENS + "codex/finished.txt", "--explain");

        assertThat(r.out())
                .contains("marker FINISHED", "matched line 3 from bottom: Worked for 2s")
                .contains("marker INPUT", "evidence IDLE")
                .contains("rules fired:")
                .containsPattern("status\\.drl:\\d+ +An empty input box means the agent is idle +\\(codex\\)")
                .containsPattern("dispatch\\.drl:\\d+ +The agent next in line for a tier.s queue takes the task at its head");
    }

    @Test
    void givenTheScreenAPromptWasDeliveredOnAndTheScreenNow_whenItShowsTheTurnOver_thenExplainSaysThatEvidenceCompletedTheTask() {
        Cli r = Cli.run("decide", "--config", TEAM, "--screen", "gemini=" + SCREENS + "gemini/finished.txt",
                "--assigned", "gemini=arch", "--delivered-on", "gemini=" + SCREENS + "gemini/idle.txt", "--explain");

        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out())
                .contains("turn over on screen since arch was delivered: ✦ Done. You said: Explain the build")
                .containsPattern("arch +COMPLETED +gemini's screen shows its turn over \\(a new answer since the prompt was "
                        + "delivered: ✦ Done\\. You said: Explain the build\\) and it is idle again \\(its input box is empty\\)")
                .containsPattern("lifecycle\\.drl:\\d+ +A task whose turn is over on its agent's screen, though never seen at work, "
                        + "is completed when it needs no check");
    }

    @Test
    void givenAPromptDeliveredOnTheScreenStillShownNow_thenNoTurnIsOverAndTheTaskIsNotCompleted() {
        Cli r = Cli.run("decide", "--config", TEAM, "--screen", "gemini=" + SCREENS + "gemini/finished.txt",
                "--assigned", "gemini=arch", "--delivered-on", "gemini=" + SCREENS + "gemini/finished.txt", "--explain");

        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).doesNotContain("turn over on screen", "COMPLETED");
    }

    @Test
    void givenDeliveredOnWithoutTheAgentsTask_thenDecideRefusesNamingWhatIsMissing() {
        Cli r = Cli.run("decide", "--config", TEAM, "--screen", "gemini=" + SCREENS + "gemini/finished.txt",
                "--delivered-on", "gemini=" + SCREENS + "gemini/idle.txt");

        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("--delivered-on gemini: give the agent's task with --assigned gemini=TASK");
    }

    @Test
    void explainSaysWhichTaskWaitsForWhichOneHoldingItsFiles() {
        // given two shells sharing a directory and two low tasks claiming the same file
        write(dir, "agents.yaml", dev.rulemux.ConfigDirs.TWO_SHELLS.replace("tier: high", "tier: low"));
        write(dir, "tasks.yaml", """
                tasks:
                  - {id: first, complexity: low, priority: high, files: [src/**], prompt: one}
                  - {id: second, complexity: low, files: [src/app.txt], prompt: two}
                """);

        Cli r = Cli.run("decide", "--config", dir.toString(), "--screen", "alpha=" + SCREENS + "shell/idle.txt",
                "--screen", "beta=" + SCREENS + "shell/idle.txt", "--pane-command", "alpha=bash", "--pane-command", "beta=bash",
                "--explain");

        // then only the first is sent, and the explanation names what the second waits for
        assertThat(r.out()).contains("send_prompt", "first").doesNotContainPattern("send_prompt +\\S+ +second")
                .contains("A pending task waits while a more urgent ready task claims files it claims",
                        "second waits for first, a more urgent ready task that claims src/**, to go first");
    }

    @Test
    void explainSaysWhatATaskAskingForAWorktreeWaitsFor() {
        // given two low shells in the shared checkout, and the more urgent low task asking for a worktree
        write(dir, "agents.yaml", dev.rulemux.ConfigDirs.TWO_SHELLS.replace("tier: high", "tier: low"));
        write(dir, "tasks.yaml", """
                tasks:
                  - {id: isolated, complexity: low, priority: high, isolation: worktree, prompt: one}
                  - {id: plain, complexity: low, prompt: two}
                """);

        Cli r = Cli.run("decide", "--config", dir.toString(), "--screen", "alpha=" + SCREENS + "shell/idle.txt",
                "--screen", "beta=" + SCREENS + "shell/idle.txt", "--pane-command", "alpha=bash", "--pane-command", "beta=bash",
                "--explain");

        // then only the plain task is sent, and the explanation says what the other waits for
        assertThat(r.out()).containsPattern("send_prompt +alpha +plain").doesNotContainPattern("send_prompt +\\S+ +isolated")
                .contains("A ready task that asks for an isolation waits while no free agent of its tier works so",
                        "isolated asks for isolation: worktree and waits for a free low agent in a worktree");
    }

    @Test
    void unchangedMsAndPaneCommandDescribeTheLiveSituation() {
        assertThat(Cli.run("decide", "--config", TEAM, "--screen", "codex=" + SCREENS + "codex/streaming.txt",
                "--unchanged-ms", "codex=300").out()).contains("codex  WORKING");
        assertThat(Cli.run("decide", "--config", TEAM, "--screen", "shell=" + SCREENS + "shell/running.txt",
                "--pane-command", "shell=sleep").out()).contains("shell  WORKING");
    }

    @Test
    void anUnknownAgentOrTaskIsAUsageErrorNamingWhatExists() {
        Cli agent = Cli.run("decide", "--config", TEAM, "--screen", "nobody=" + SCREENS + "codex/idle.txt");
        assertThat(agent.exit()).isEqualTo(2);
        assertThat(agent.err()).contains("--screen nobody: no such agent in agents.yaml (agents: claude, codex, gemini, qwen, opencode, sim, shell)");

        Cli task = Cli.run("decide", "--config", TEAM, "--screen", "codex=" + SCREENS + "codex/idle.txt", "--assigned", "codex=nope");
        assertThat(task.exit()).isEqualTo(2);
        assertThat(task.err()).contains("--assigned codex=nope: no such task");

        Cli file = Cli.run("decide", "--config", TEAM, "--screen", "codex=" + dir.resolve("missing.txt"));
        assertThat(file.exit()).isEqualTo(2);
        assertThat(file.err()).contains("cannot read it");
    }

    @Test
    void aPolicyEditInTheConfigDirectoryChangesTheDecisionWithoutARebuild() throws Exception {
        for (String f : List.of("agents.yaml", "tasks.yaml")) {
            Files.copy(Path.of(TEAM, f), dir.resolve(f));
        }
        write(dir, "rules/policy.yaml", "stuck_after: 10s\n");

        Cli r = Cli.run("decide", "--config", dir.toString(), "--screen", "claude=" + SCREENS + "claude-code/working.txt",
                "--unchanged-ms", "claude=20000", "--assigned", "claude=arch");

        assertThat(r.out()).contains("claude  STUCK").containsPattern("nudge\\s+claude\\s+arch");
    }

    private static List<JsonNode> json(String out) throws Exception {
        ObjectMapper mapper = new ObjectMapper();
        List<JsonNode> lines = new ArrayList<>();
        for (String line : out.split("\n")) {
            if (!line.isBlank()) {
                lines.add(mapper.readTree(line));
            }
        }
        return lines;
    }
}
