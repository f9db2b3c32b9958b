package dev.rulemux.config;

import static dev.rulemux.ConfigDirs.TWO_SHELLS;
import static dev.rulemux.ConfigDirs.sources;
import static dev.rulemux.ConfigDirs.write;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rulemux.ConfigDirs;
import dev.rulemux.domain.Answer;
import dev.rulemux.domain.Priority;
import dev.rulemux.domain.Role;
import dev.rulemux.domain.Tier;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {

    @TempDir
    Path dir;

    private List<String> problemsOf() {
        try {
            ConfigLoader.load(sources(dir));
        } catch (ConfigException e) {
            return e.problems().stream().map(Problem::toString).toList();
        }
        throw new AssertionError("expected the config to be rejected");
    }

    @Test
    void theRepositorysOwnConfigurationIsValid() {
        Config config = ConfigLoader.load(sources(ConfigDirs.REPO));

        assertThat(config.team().agents()).extracting(AgentSpec::name).containsExactly("claude", "amp", "gemini", "codex");
        assertThat(config.team().agent("claude").orElseThrow().role()).isEqualTo(Role.ORCHESTRATOR);
        assertThat(config.team().agent("codex").orElseThrow().command())
                .containsExactly("codex", "--sandbox", "workspace-write", "--ask-for-approval", "on-request");
        assertThat(config.tasks()).isNotEmpty();
        assertThat(config.profiles()).containsKeys("claude-code", "codex", "gemini", "amp", "aider", "shell");
        assertThat(config.warnings()).isEmpty();
    }

    @Test
    void defaultsApplyToWhatAnAgentAndATaskLeaveOut() {
        write(dir, "agents.yaml", TWO_SHELLS);
        write(dir, "tasks.yaml", """
                tasks:
                  - id: t1
                    prompt: do it
                """);

        Config config = ConfigLoader.load(sources(dir));

        AgentSpec alpha = config.team().agent("alpha").orElseThrow();
        assertThat(alpha.role()).isEqualTo(Role.WORKER);
        assertThat(alpha.approvals()).isEqualTo(Answer.ASK);
        assertThat(alpha.workdir()).isEqualTo(dir.toAbsolutePath().normalize().resolve("work"));
        assertThat(alpha.command()).containsExactly("bash");
        TaskSpec t1 = config.tasks().get(0);
        assertThat(t1.title()).isEqualTo("t1");
        assertThat(t1.complexity()).isEqualTo(Tier.MEDIUM);
        assertThat(t1.priority()).isEqualTo(Priority.MEDIUM);
        assertThat(t1.line()).isEqualTo(2);
    }

    // ---------------------------------------------------------------- workdir: the trust boundary

    @Test
    void givenNoWorkdir_whenLoaded_thenTheAgentWorksInTheWorkFolderOfTheConfigDirectoryNotInTheConfigDirectory() {
        write(dir, "agents.yaml", TWO_SHELLS);

        Config config = ConfigLoader.load(sources(dir));

        assertThat(config.team().agents()).extracting(AgentSpec::workdir)
                .containsOnly(dir.toAbsolutePath().normalize().resolve("work"));
        assertThat(config.warnings()).isEmpty();
    }

    @Test
    void givenAWorkdirThatIsTheConfigDirectory_whenLoaded_thenItIsRefusedNamingFileLineAgentAndField() {
        write(dir, "agents.yaml", TWO_SHELLS.replace("    tier: high\n", "    tier: high\n    workdir: .\n"));

        assertThat(problemsOf()).singleElement().asString()
                .startsWith(dir.resolve("agents.yaml") + ":7: agents[0].workdir: ")
                .contains("alpha", "contains the config directory " + dir.toAbsolutePath().normalize(), "trust_workdir_config: true");
    }

    @Test
    void givenAWorkdirAboveTheConfigDirectory_whenLoaded_thenItIsRefused() {
        Path config = dir.resolve("team");
        write(config, "agents.yaml", TWO_SHELLS.replace("    tier: low\n", "    tier: low\n    workdir: ..\n"));

        assertThatThrownBy(() -> ConfigLoader.load(sources(config)))
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.problems()).singleElement().asString()
                        .startsWith(config.resolve("agents.yaml") + ":12: agents[1].workdir: ")
                        .contains("beta", "contains the config directory"));
    }

    @Test
    void givenAWorkdirThatHoldsTheRulesOfAnotherLayer_whenLoaded_thenItIsRefused() {
        Path home = dir.resolve("rulemux-home");
        write(home, "rules/extra.drl", "package rulemux.policy;\n");
        Path config = dir.resolve("team");
        write(config, "agents.yaml", TWO_SHELLS.replace("    tier: high\n", "    tier: high\n    workdir: " + home + "\n"));

        assertThatThrownBy(() -> ConfigLoader.load(Sources.of(config, List.of(config, home, ConfigDirs.REPO))))
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.problems()).singleElement().asString()
                        .contains("agents[0].workdir: ", "contains the rules directory " + home.resolve("rules")));
    }

    @Test
    void givenAWorkdirInsideThePromptsFolder_whenLoaded_thenItIsRefused() {
        write(dir, "prompts/notes/readme.md", "x");
        write(dir, "agents.yaml", TWO_SHELLS.replace("    tier: high\n", "    tier: high\n    workdir: prompts/notes\n"));

        assertThat(problemsOf()).singleElement().asString()
                .contains("agents[0].workdir: ", "is inside the prompts directory " + dir.toAbsolutePath().normalize().resolve("prompts"));
    }

    @Test
    void givenASymlinkToTheConfigDirectoryAsWorkdir_whenLoaded_thenItIsRefused() throws Exception {
        java.nio.file.Files.createDirectories(dir.resolve("team"));
        java.nio.file.Files.createSymbolicLink(dir.resolve("link"), dir.resolve("team"));
        Path config = dir.resolve("team");
        write(config, "agents.yaml", TWO_SHELLS.replace("    tier: high\n", "    tier: high\n    workdir: " + dir.resolve("link") + "\n"));

        assertThatThrownBy(() -> ConfigLoader.load(sources(config)))
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.problems()).singleElement().asString()
                        .contains("agents[0].workdir: ", "contains the config directory"));
    }

    @Test
    void givenTrustWorkdirConfigOnTheAgent_whenItsWorkdirIsTheConfigDirectory_thenItLoadsWithALoudWarning() {
        write(dir, "agents.yaml", TWO_SHELLS.replace("    tier: high\n",
                "    tier: high\n    workdir: .\n    trust_workdir_config: true\n"));

        Config config = ConfigLoader.load(sources(dir));

        assertThat(config.team().agent("alpha").orElseThrow().workdir()).isEqualTo(dir.toAbsolutePath().normalize());
        assertThat(config.warnings()).singleElement().asString()
                .startsWith(dir.resolve("agents.yaml") + ":7: agents[0].workdir: ")
                .contains("TRUSTED", "alpha", "can change the rules");
    }

    @Test
    void givenTrustWorkdirConfigOnTheTeam_whenEveryWorkdirIsTheConfigDirectory_thenItLoadsWithAWarningPerAgent() {
        write(dir, "agents.yaml", "trust_workdir_config: true\n" + TWO_SHELLS
                .replace("    tier: high\n", "    tier: high\n    workdir: .\n")
                .replace("    tier: low\n", "    tier: low\n    workdir: .\n"));

        Config config = ConfigLoader.load(sources(dir));

        assertThat(config.warnings()).hasSize(2).allSatisfy(w -> assertThat(w.toString()).contains("TRUSTED"));
    }

    @Test
    void givenTrustWorkdirConfigThatIsNotABoolean_whenLoaded_thenItIsRefused() {
        write(dir, "agents.yaml", TWO_SHELLS.replace("    tier: high\n", "    tier: high\n    trust_workdir_config: maybe\n"));

        assertThat(problemsOf()).singleElement().asString().contains("agents[0].trust_workdir_config: must be true or false");
    }

    @Test
    void anUnknownFieldIsReportedAtItsLineWithTheNearestKnownName() {
        write(dir, "agents.yaml", TWO_SHELLS.replace("    tier: low\n", "    tier: low\n    backpu: alpha\n"));

        assertThat(problemsOf()).singleElement().asString()
                .startsWith(dir.resolve("agents.yaml") + ":12: agents[1].backpu: is not a known field (did you mean \"backup\"?)");
    }

    @Test
    void givenAgentsOnHosts_whenLoaded_thenEachKeepsItsHostAndItsWorkdirThere_andTheTeamListsItsHosts() {
        write(dir, "agents.yaml", """
                session: test
                agents:
                  - {name: here, profile: shell, command: bash, tier: low}
                  - {name: gpu, host: dev@gpu-box.example.org, workdir: /srv/work, profile: shell, command: bash, tier: low}
                  - {name: lab, host: lab, profile: shell, command: bash, tier: low}
                """);

        Config config = ConfigLoader.load(sources(dir));

        assertThat(config.team().hosts()).containsExactly("dev@gpu-box.example.org", "lab");
        assertThat(config.team().agent("gpu").orElseThrow().workdir()).as("on the host, not checked here")
                .isEqualTo(Path.of("/srv/work"));
        assertThat(config.team().agent("lab").orElseThrow().workdir()).as("the login's home there").isNull();
        assertThat(config.team().agent("here").orElseThrow().remote()).isFalse();
        assertThat(config.team().sshConfig()).isNull();
    }

    @Test
    void givenAHostThatSshWouldReadAsAnOptionOrAShellWouldExpand_whenLoaded_thenItIsRefusedAtItsLine() {
        write(dir, "agents.yaml", TWO_SHELLS.replace("    tier: high\n", "    tier: high\n    host: -oProxyCommand=sh\n")
                .replace("    tier: low\n", "    tier: low\n    host: box;id\n    workdir: relative/dir\n"));

        assertThat(problemsOf()).containsExactly(
                dir.resolve("agents.yaml") + ":7: agents[0].host: must be a host name, user@host or an ~/.ssh/config entry "
                        + "(letters, digits, '.', '-', '_', one '@'), not \"-oProxyCommand=sh\"",
                dir.resolve("agents.yaml") + ":13: agents[1].host: must be a host name, user@host or an ~/.ssh/config entry "
                        + "(letters, digits, '.', '-', '_', one '@'), not \"box;id\"",
                dir.resolve("agents.yaml") + ":14: agents[1].workdir: must be an absolute path on host box;id, not \"relative/dir\"");
    }

    @Test
    void givenAnSshConfigThatIsNotAFile_whenLoaded_thenItIsRefusedAtItsLine() {
        write(dir, "agents.yaml", "ssh_config: missing/ssh_config\n" + TWO_SHELLS);

        assertThat(problemsOf()).singleElement().asString()
                .startsWith(dir.resolve("agents.yaml") + ":1: ssh_config: is not a file: ");
    }

    @Test
    void aMissingRequiredFieldIsReportedAtItsMapping() {
        write(dir, "agents.yaml", """
                session: test
                agents:
                  - name: alpha
                    profile: shell
                    tier: high
                """);

        assertThat(problemsOf()).containsExactly(
                dir.resolve("agents.yaml") + ":3: agents[0].command: is missing (how to launch the agent's CLI)");
    }

    @Test
    void aWrongChoiceListsTheAllowedValues() {
        write(dir, "agents.yaml", TWO_SHELLS.replace("tier: high", "tier: hihg"));

        assertThat(problemsOf()).containsExactly(
                dir.resolve("agents.yaml") + ":6: agents[0].tier: must be one of high|medium|low, not \"hihg\"");
    }

    @Test
    void duplicateNamesAndIdsNameBothLines() {
        write(dir, "agents.yaml", TWO_SHELLS.replace("name: beta", "name: alpha").replace("backup: beta", "backup: alpha"));
        write(dir, "tasks.yaml", """
                tasks:
                  - id: t1
                    prompt: a
                  - id: t1
                    prompt: b
                """);

        assertThat(problemsOf()).contains(
                dir.resolve("agents.yaml") + ":8: agents[1].name: \"alpha\" is used twice (first on line 3)",
                dir.resolve("tasks.yaml") + ":4: tasks[1].id: \"t1\" is used twice (first on line 2)");
    }

    @Test
    void unknownProfilesBackupsAndDependenciesAreNamed() {
        write(dir, "agents.yaml", TWO_SHELLS.replace("profile: shell\n    command: bash", "profile: clade\n    command: bash")
                .replace("backup: beta", "backup: gamma"));
        write(dir, "tasks.yaml", """
                tasks:
                  - id: t1
                    prompt: a
                    depends_on: [t0]
                """);

        assertThat(problemsOf()).anySatisfy(p -> assertThat(p).startsWith(
                        dir.resolve("agents.yaml") + ":4: agents[0].profile: names no profile: \"clade\""))
                .anySatisfy(p -> assertThat(p).startsWith(dir.resolve("agents.yaml") + ":3: agents[0].backup: names no agent: \"gamma\""))
                .contains(dir.resolve("tasks.yaml") + ":2: tasks[0].depends_on: task t1 depends on \"t0\", which is no task");
    }

    @Test
    void aDependencyCycleIsPrintedAlongItsPath() {
        write(dir, "agents.yaml", TWO_SHELLS);
        write(dir, "tasks.yaml", """
                tasks:
                  - {id: a, prompt: x, depends_on: [c]}
                  - {id: b, prompt: x, depends_on: [a]}
                  - {id: c, prompt: x, depends_on: [b]}
                  - {id: d, prompt: x}
                """);

        assertThat(problemsOf()).containsExactly(dir.resolve("tasks.yaml") + ":2: depends_on: dependencies form a cycle: a -> c -> b -> a");
    }

    @Test
    void aBadRegularExpressionInAProfileIsReportedWithItsPosition() {
        write(dir, "agents.yaml", TWO_SHELLS);
        write(dir, "profiles/mine.yaml", """
                input:
                  line: '> (?<draft>.*)'
                working:
                  - 'fine'
                  - '(unclosed'
                """);

        assertThat(problemsOf()).containsExactly(dir.resolve("profiles/mine.yaml")
                + ":5: working[1]: is not a valid regular expression: Unclosed group near index 9 in \"(unclosed\"");
    }

    @Test
    void aProfilesTurnsMarkerIsReadAndABadOneIsReportedWithItsPosition() {
        write(dir, "agents.yaml", TWO_SHELLS);
        write(dir, "profiles/mine.yaml", """
                input:
                  line: '> (?<draft>.*)'
                turns: '^✦ (unclosed'
                """);

        assertThat(problemsOf()).containsExactly(dir.resolve("profiles/mine.yaml")
                + ":3: turns: is not a valid regular expression: Unclosed group near index 12 in \"^✦ (unclosed\"");
    }

    @Test
    void aProfilesResumeArgumentsAreReadAndAnEmptyOneIsReportedWithItsPosition() {
        write(dir, "agents.yaml", TWO_SHELLS);
        write(dir, "profiles/mine.yaml", """
                input:
                  line: '> (?<draft>.*)'
                resume: [--continue, '']
                """);

        assertThat(problemsOf()).singleElement().asString().startsWith(dir.resolve("profiles/mine.yaml") + ":")
                .contains("resume: must be a list of command-line arguments");
        assertThat(ConfigLoader.load(sources(ConfigDirs.REPO.resolve("examples/demo"))).profiles().get("codex").resume())
                .containsExactly("resume", "--last");
    }

    @Test
    void aProfileInTheConfigDirectoryOverridesTheShippedOneOfTheSameName() {
        write(dir, "agents.yaml", TWO_SHELLS);
        write(dir, "profiles/shell.yaml", """
                description: my shell
                input:
                  line: '%% (?<draft>.*)'
                """);

        Config config = ConfigLoader.load(sources(dir));

        assertThat(config.profiles().get("shell").description()).isEqualTo("my shell");
        assertThat(config.profiles().get("codex").file()).isEqualTo(ConfigDirs.REPO.resolve("profiles/codex.yaml"));
    }

    @Test
    void invalidYamlIsReportedAtTheLineWhereParsingFailed() {
        write(dir, "agents.yaml", "session: test\nagents:\n  - name: alpha\n   profile: shell\n");

        assertThat(problemsOf()).singleElement().asString()
                .startsWith(dir.resolve("agents.yaml") + ":4: is not valid YAML");
    }

    @Test
    void aKeyGivenTwiceInOneMappingIsAnError() {
        write(dir, "agents.yaml", TWO_SHELLS.replace("    tier: low\n", "    tier: low\n    tier: high\n"));

        assertThat(problemsOf()).containsExactly(dir.resolve("agents.yaml") + ":12: tier: is given twice (first on line 11)");
    }

    @Test
    void policyKnobsMergeKeyByKeyAndAgentsOverrideThemWithCheckedValues() {
        write(dir, "agents.yaml", TWO_SHELLS.replace("    tier: low\n", "    tier: low\n    policy:\n      stuck_after: 10m\n"));
        write(dir, "rules/policy.yaml", "handoff_at: 95\n");

        Config config = ConfigLoader.load(sources(dir));

        assertThat(config.policy().values()).containsEntry("handoff_at", "95").containsEntry("prepare_handoff_at", "90");
        AgentSpec beta = config.team().agent("beta").orElseThrow();
        assertThat(config.policy().forAgent(beta).millis("stuck_after")).isEqualTo(600_000);
        assertThat(config.policy().forAgent(config.team().agent("alpha").orElseThrow()).millis("stuck_after"))
                .isEqualTo(180_000);
    }

    @Test
    void anAgentPolicyOverrideMustNameAKnobAndKeepItsKind() {
        write(dir, "agents.yaml", TWO_SHELLS.replace("    tier: low\n",
                "    tier: low\n    policy:\n      stuck_aftr: 10m\n      handoff_at: soon\n"));

        assertThat(problemsOf()).hasSize(2)
                .anySatisfy(p -> assertThat(p).startsWith(dir.resolve("agents.yaml") + ":13: agents[1].policy.stuck_aftr: is not a policy knob"))
                .contains(dir.resolve("agents.yaml") + ":14: agents[1].policy.handoff_at: must be a number (like \"98\"), not \"soon\"");
    }

    // ---------------------------------------------------------------- knobs the rules read

    @Test
    void givenARuleReadingAMisspeltKnob_whenLoaded_thenItIsRefusedAtTheRulesFileAndLineNamingTheKnob() {
        write(dir, "agents.yaml", TWO_SHELLS);
        Path rule = write(dir, "rules/mine.drl", """
                package rulemux.policy;
                import dev.rulemux.domain.*;

                rule "A stuck agent is noticed"
                when
                    $p : Policy( $a : agent )
                    PaneSnapshot( agent == $a, unchangedMs >= $p.millis("stuck_aftr") )
                then
                end
                """);

        assertThat(problemsOf()).singleElement().asString()
                .startsWith(rule + ":7: stuck_aftr: is not a policy knob: rule \"A stuck agent is noticed\" reads it "
                        + "(millis(\"stuck_aftr\")) but no rules/policy.yaml defines it (did you mean \"stuck_after\"?)")
                .contains("knobs: ", "handoff_at");
    }

    @Test
    void givenAKnobReadInsideAPolicyPattern_whenItIsMisspelt_thenItIsRefusedToo() {
        write(dir, "agents.yaml", TWO_SHELLS);
        Path rule = write(dir, "rules/mine.drl", """
                package rulemux.policy;
                import dev.rulemux.domain.*;

                rule "Tiers wait"
                when
                    Agent( $a : name )
                    Policy( agent == $a,
                            $after : millis("tier_up_afterr") )
                then
                end
                """);

        assertThat(problemsOf()).singleElement().asString().startsWith(rule + ":8: tier_up_afterr: is not a policy knob");
    }

    @Test
    void givenAKnobTheUserDefinesAndTheirRuleReads_whenLoaded_thenItIsAccepted() {
        write(dir, "agents.yaml", TWO_SHELLS);
        write(dir, "rules/policy.yaml", "my_patience: 5m\n");
        write(dir, "rules/mine.drl", """
                package rulemux.policy;
                import dev.rulemux.domain.*;

                // $p.millis("not_a_knob") in a comment is not a read
                rule "Patience"
                when
                    $p : Policy( $a : agent )
                    PaneSnapshot( agent == $a, unchangedMs >= $p.millis("my_patience") )
                then
                end
                """);

        assertThat(ConfigLoader.load(sources(dir)).policy().values()).containsKey("my_patience");
    }

    @Test
    void aTaskNeedsExactlyOneOfPromptAndPromptFile() {
        write(dir, "agents.yaml", TWO_SHELLS);
        write(dir, "prompt.md", "hello");
        write(dir, "tasks.yaml", """
                tasks:
                  - id: none
                  - id: both
                    prompt: x
                    prompt_file: prompt.md
                  - id: missing-file
                    prompt_file: nope.md
                  - id: fine
                    prompt_file: prompt.md
                """);

        assertThat(problemsOf()).containsExactly(
                dir.resolve("tasks.yaml") + ":2: tasks[0].prompt: is missing: give prompt or prompt_file",
                dir.resolve("tasks.yaml") + ":5: tasks[1].prompt_file: cannot be given with prompt: give one of them",
                dir.resolve("tasks.yaml") + ":7: tasks[2].prompt_file: is not a file: " + dir.resolve("nope.md"));
    }

    @Test
    void aTaskOfATierNoAgentHasIsAWarningNotAnError() {
        write(dir, "agents.yaml", TWO_SHELLS);
        write(dir, "tasks.yaml", "tasks:\n  - {id: m, prompt: x, complexity: medium}\n");

        Config config = ConfigLoader.load(sources(dir));

        assertThat(config.warnings()).singleElement().asString().contains("no agent has tier medium");
    }

    @Test
    void aTaskAskingForAnIsolationNoAgentWorksInIsAWarningNamingFileLineAndField() {
        // given two agents in the shared checkout, a task asking for a worktree and one asking for none
        write(dir, "agents.yaml", TWO_SHELLS);
        write(dir, "tasks.yaml", "tasks:\n  - {id: a, prompt: x, complexity: high}\n  - {id: iso, prompt: x, complexity: high, "
                + "isolation: worktree}\n  - {id: here, prompt: x, complexity: high, isolation: none}\n");

        Config config = ConfigLoader.load(sources(dir));
        // then only the one nobody can take is warned about
        assertThat(config.warnings()).singleElement().asString().isEqualTo(dir.resolve("tasks.yaml") + ":3: tasks[1].isolation: "
                + "no agent works in a worktree, so task iso, which asks for isolation: worktree, is never given out: give an "
                + "agent isolation: worktree in agents.yaml, or drop the task's isolation");
    }

    @Test
    void aMissingAgentsFileSaysWhatIsNeeded() {
        assertThat(problemsOf()).containsExactly(dir.resolve("agents.yaml") + ": is missing: every config directory needs an agents.yaml");
    }

    @Test
    void commandLinesAreSplitIntoArgvWithoutAShell() {
        assertThat(Argv.split("claude --model 'opus 4' \"a \\\"b\\\"\" x\\ y $HOME;ls"))
                .containsExactly("claude", "--model", "opus 4", "a \"b\"", "x y", "$HOME;ls");
        assertThatThrownBy(() -> Argv.split("a 'b")).hasMessageContaining("unclosed");
    }

    // ---------------------------------------------------------------- isolation: worktree

    @Test
    void givenAnAgentInAWorktreeOfARepository_whenLoaded_thenItsIsolationIsRead() throws Exception {
        java.nio.file.Files.createDirectories(dir.resolve("repo/.git"));
        write(dir, "agents.yaml", TWO_SHELLS.replace("    tier: high\n", "    tier: high\n    workdir: repo\n"
                + "    isolation: worktree\n    base: team\n    include: [.env]\n    setup: npm ci\n"));

        AgentSpec alpha = ConfigLoader.load(sources(dir)).team().agent("alpha").orElseThrow();

        assertThat(alpha.isolation()).isEqualTo(new Isolation(Isolation.Mode.WORKTREE, "team", List.of(".env"), List.of("npm", "ci")));
        assertThat(ConfigLoader.load(sources(dir)).team().agent("beta").orElseThrow().isolation()).isEqualTo(Isolation.NONE);
    }

    @Test
    void givenAWorktreeWithoutABaseOrARepository_whenLoaded_thenEachIsRefusedNamingTheField() throws Exception {
        java.nio.file.Files.createDirectories(dir.resolve("plain"));
        write(dir, "agents.yaml", TWO_SHELLS.replace("    tier: high\n", "    tier: high\n    workdir: plain\n    isolation: worktree\n")
                .replace("    tier: low\n", "    tier: low\n    base: team\n"));

        assertThat(problemsOf()).anySatisfy(p -> assertThat(p).contains("agents[0].isolation", "needs base"))
                .anySatisfy(p -> assertThat(p).contains("agents[0].isolation", "is in none (git init it"))
                .anySatisfy(p -> assertThat(p).contains("agents[1].base", "only applies to an agent with isolation: worktree"));
    }

    @Test
    void givenAMergeKnobThatIsNeitherAutoNorManual_whenLoaded_thenItIsRefused() {
        write(dir, "agents.yaml", TWO_SHELLS.replace("    tier: high\n", "    tier: high\n    policy: {merge: sometimes}\n"));

        assertThat(problemsOf()).singleElement().asString().contains("agents[0].policy.merge", "must be auto or manual");
    }
}
