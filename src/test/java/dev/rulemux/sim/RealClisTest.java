package dev.rulemux.sim;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rulemux.sim.RealClis.Cli;
import dev.rulemux.sim.RealClis.Options;
import dev.rulemux.sim.RealClis.Sandbox;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RealClisTest {

    private static final String MOCK = "http://127.0.0.1:4321";

    @TempDir
    Path temp;

    private RealClis clis;
    private Path work;

    @BeforeEach
    void fakeInstall() throws Exception {
        Path bin = Files.createDirectories(temp.resolve("install/node_modules/.bin"));
        for (Cli cli : Cli.values()) {
            Path exe = Files.writeString(bin.resolve(cli.executable()), "#!/bin/sh\n");
            Files.setPosixFilePermissions(exe, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
        clis = RealClis.locate(Map.of(RealClis.DIR_ENV, temp.resolve("install").toString()), temp).orElseThrow();
        work = Files.createDirectories(temp.resolve("work"));
    }

    @Test
    void locates_an_install_root_or_a_bin_dir_from_the_environment() {
        // when
        var fromRoot = RealClis.locate(Map.of(RealClis.DIR_ENV, temp.resolve("install").toString()), temp);
        var fromBin = RealClis.locate(Map.of(RealClis.DIR_ENV, temp.resolve("install/node_modules/.bin").toString()), temp);

        // then
        assertThat(fromRoot).hasValueSatisfying(c -> assertThat(c.binDir()).endsWith(Path.of("node_modules/.bin")));
        assertThat(fromBin).hasValueSatisfying(c -> assertThat(c.executable(Cli.CODEX)).hasFileName("codex"));
    }

    @Test
    void defaults_to_the_versioned_cache_dir_and_is_empty_when_nothing_is_there() {
        assertThat(RealClis.defaultInstallDir(Path.of("/home/u"))).isEqualTo(Path.of("/home/u/.cache/rulemux-clis/v3"));
        assertThat(RealClis.locate(Map.of(), temp.resolve("nobody"))).isEmpty();
    }

    @Test
    void the_install_script_pins_the_same_key_and_versions() throws Exception {
        // given
        String script = Files.readString(Path.of("scripts/install-clis"));

        // then
        assertThat(script).contains("KEY=" + RealClis.INSTALL_KEY)
                .contains("CLAUDE_CODE_VERSION=" + RealClis.CLAUDE_CODE_VERSION)
                .contains("CODEX_VERSION=" + RealClis.CODEX_VERSION)
                .contains("GEMINI_CLI_VERSION=" + RealClis.GEMINI_CLI_VERSION);
    }

    @Test
    void a_claude_sandbox_skips_onboarding_approves_the_key_and_trusts_the_workdir() throws Exception {
        // when
        Sandbox sandbox = clis.prepare(Cli.CLAUDE, work, MOCK + "/", temp);

        // then
        assertThat(sandbox.command()).containsExactly(clis.executable(Cli.CLAUDE).toString());
        assertThat(sandbox.env()).containsEntry("HOME", sandbox.home().toString())
                .containsEntry("ANTHROPIC_BASE_URL", MOCK)
                .containsEntry("CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC", "1")
                .containsKey("ANTHROPIC_API_KEY").doesNotContainKey("CLAUDE_CODE_OAUTH_TOKEN");
        JsonNode state = Json.MAPPER.readTree(sandbox.home().resolve(".claude.json").toFile());
        assertThat(state.path("hasCompletedOnboarding").asBoolean()).isTrue();
        String key = sandbox.env().get("ANTHROPIC_API_KEY");
        assertThat(state.path("customApiKeyResponses").path("approved").path(0).asText())
                .isEqualTo(key.substring(key.length() - 20));
        assertThat(state.path("projects").path(work.toString()).path("hasTrustDialogAccepted").asBoolean()).isTrue();
        assertThat(sandbox.home()).startsWith(temp);
        // approvals on: every tool call is asked for ("default" mode, not 2.1.332's own default "auto"),
        // and neither of the one-time notices about "auto" shows
        JsonNode settings = Json.MAPPER.readTree(sandbox.home().resolve(".claude/settings.json").toFile());
        assertThat(settings.path("permissions").path("defaultMode").asText()).isEqualTo("default");
        assertThat(state.path("hasSeenAutoDefaultNotice").asBoolean()).isTrue();
        assertThat(state.path("hasSeenAutoDefaultNudge").asBoolean()).isTrue();
    }

    @Test
    void an_untrusted_claude_sandbox_with_a_subscription_and_no_approvals() throws Exception {
        // when
        Sandbox sandbox = clis.prepare(Cli.CLAUDE, work, MOCK, temp,
                Options.defaults().withTrusted(false).withApprovals(false).withClaudeSubscription(true));

        // then
        assertThat(sandbox.command()).endsWith("--dangerously-skip-permissions");
        assertThat(sandbox.env()).containsKey("CLAUDE_CODE_OAUTH_TOKEN").doesNotContainKey("ANTHROPIC_API_KEY")
                .containsEntry("IS_SANDBOX", "1");
        JsonNode state = Json.MAPPER.readTree(sandbox.home().resolve(".claude.json").toFile());
        assertThat(state.path("projects").path(work.toString()).path("hasTrustDialogAccepted").asBoolean()).isFalse();
        JsonNode settings = Json.MAPPER.readTree(sandbox.home().resolve(".claude/settings.json").toFile());
        assertThat(settings.path("skipDangerousModePermissionPrompt").asBoolean()).isTrue();
        assertThat(settings.has("permissions")).isFalse();
    }

    @Test
    void a_codex_sandbox_points_a_mock_provider_at_the_server_without_the_daemon() throws Exception {
        // when
        Sandbox sandbox = clis.prepare(Cli.CODEX, work, MOCK, temp);

        // then
        Path codexHome = sandbox.codexHome().orElseThrow();
        assertThat(sandbox.command()).containsExactly(clis.executable(Cli.CODEX).toString(), "--no-daemon");
        assertThat(sandbox.env()).containsEntry("CODEX_HOME", codexHome.toString())
                .containsEntry(RealClis.MOCK_KEY_ENV, "mock-openai-key");
        String toml = Files.readString(codexHome.resolve("config.toml"));
        assertThat(toml).contains("model_provider = \"mock\"")
                .contains("base_url = \"" + MOCK + "/v1\"")
                .contains("wire_api = \"responses\"")
                .contains("approval_policy = \"on-request\"")
                .contains("\"context-remaining\"")
                .contains("[projects.\"" + work + "\"]\ntrust_level = \"trusted\"");
    }

    @Test
    void a_codex_sandbox_without_approvals_never_asks() throws Exception {
        // when
        Sandbox sandbox = clis.prepare(Cli.CODEX, work, MOCK, temp,
                Options.defaults().withApprovals(false).withTrusted(false).withCodexDaemon(true));

        // then
        assertThat(sandbox.command()).containsExactly(clis.executable(Cli.CODEX).toString());
        String toml = Files.readString(sandbox.codexHome().orElseThrow().resolve("config.toml"));
        assertThat(toml).contains("approval_policy = \"never\"").contains("sandbox_mode = \"danger-full-access\"")
                .doesNotContain("trust_level");
    }

    @Test
    void a_gemini_sandbox_uses_an_api_key_and_lists_the_trusted_workdir() throws Exception {
        // when
        Sandbox sandbox = clis.prepare(Cli.GEMINI, work, MOCK, temp);

        // then
        assertThat(sandbox.env()).containsEntry("GOOGLE_GEMINI_BASE_URL", MOCK).containsKey("GEMINI_API_KEY");
        JsonNode settings = Json.MAPPER.readTree(sandbox.home().resolve(".gemini/settings.json").toFile());
        assertThat(settings.path("security").path("auth").path("selectedType").asText()).isEqualTo("gemini-api-key");
        assertThat(settings.path("security").path("folderTrust").path("enabled").asBoolean()).isTrue();
        JsonNode trusted = Json.MAPPER.readTree(sandbox.home().resolve(".gemini/trustedFolders.json").toFile());
        assertThat(trusted.path(work.toString()).asText()).isEqualTo("TRUST_FOLDER");
    }

    @Test
    void an_untrusted_gemini_sandbox_without_approvals_runs_in_yolo_mode() {
        // when
        Sandbox sandbox = clis.prepare(Cli.GEMINI, work, MOCK, temp,
                Options.defaults().withTrusted(false).withApprovals(false));

        // then
        assertThat(sandbox.command()).endsWith("--approval-mode", "yolo");
        assertThat(sandbox.home().resolve(".gemini/trustedFolders.json")).doesNotExist();
    }

    @Test
    void kill_strays_ends_processes_run_from_the_codex_home() throws Exception {
        // given: a stand-in for the app-server daemon, run from a path under CODEX_HOME
        Path codexHome = Files.createDirectories(temp.resolve("codex-home"));
        Process stray = new ProcessBuilder("bash", "-c", "sleep 60; true", codexHome.resolve("packages/bin/codex").toString())
                .start();
        Process bystander = new ProcessBuilder("bash", "-c", "sleep 60; true", temp.resolve("elsewhere").toString())
                .start();
        // and a stand-in for a tmux server, which keeps the argv of the `new-session -e CODEX_HOME=…` that started it
        Process tmuxServer = new ProcessBuilder("bash", "-c", "sleep 60; true", "-e", "CODEX_HOME=" + codexHome)
                .start();
        try {
            // when
            int ended = RealClis.killStrays(codexHome);

            // then
            assertThat(ended).isEqualTo(1);
            assertThat(stray.waitFor(60, TimeUnit.SECONDS)).as("the stray ended").isTrue();
            assertThat(bystander.isAlive()).isTrue();
            assertThat(tmuxServer.isAlive()).isTrue();
        } finally {
            stray.destroyForcibly();
            bystander.destroyForcibly();
            tmuxServer.destroyForcibly();
        }
    }

    @Test
    void toml_strings_are_escaped() {
        assertThat(RealClis.tomlString("a \"b\" \\ c")).isEqualTo("\"a \\\"b\\\" \\\\ c\"");
        assertThat(List.of(RealClis.tomlString("/tmp/x y"))).containsExactly("\"/tmp/x y\"");
    }
}
