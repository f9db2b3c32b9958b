package dev.rulemux.loop;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Specifies how rulemux wires a CLI's own hooks to {@code rulemux hook EVENT} without touching the user's settings. */
class HookWiringTest {

    @TempDir
    Path dir;

    @Test
    void givenClaudeCode_thenItsHooksGoToASettingsFileOfItsOwnThatRunsTheSameRulemux() throws Exception {
        Path file = HookWiring.claudeSettings(dir, "claude", List.of("/opt/rule mux/rulemux", "hook"));

        assertThat(file).isEqualTo(dir.resolve(".rulemux/hooks/claude.claude-settings.json"));
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        JsonNode hooks = new ObjectMapper().readTree(file.toFile()).get("hooks");
        assertThat(hooks.fieldNames()).toIterable()
                .containsExactlyInAnyOrder("Stop", "UserPromptSubmit", "Notification", "SessionStart", "PreCompact");
        assertThat(hooks.get("Stop").get(0).get("hooks").get(0).get("command").asText())
                .isEqualTo("'/opt/rule mux/rulemux' hook Stop");
        assertThat(hooks.get("Notification").get(0).get("matcher").asText()).isEqualTo("permission_prompt");
        assertThat(hooks.get("Notification").get(0).get("hooks").get(0).get("command").asText()).endsWith(" hook PermissionPrompt");
    }

    @Test
    void givenGeminiCli_thenItsHooksGoToASystemDefaultsFileOfItsOwnThatKeepsWhatTheUsualOneHolds() throws Exception {
        Path usual = dir.resolve("etc/system-defaults.json");
        Files.createDirectories(usual.getParent());
        Files.writeString(usual, "{\"ui\": {\"theme\": \"x\"}, \"hooks\": {\"AfterAgent\": [{\"hooks\": "
                + "[{\"type\": \"command\", \"command\": \"theirs\"}]}]}}");

        Path file = HookWiring.geminiDefaults(dir, "gem", List.of("/opt/rule mux/rulemux", "hook"), usual);

        assertThat(file).isEqualTo(dir.resolve(".rulemux/hooks/gem.gemini-defaults.json"));
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        JsonNode root = new ObjectMapper().readTree(file.toFile());
        assertThat(root.at("/ui/theme").asText()).isEqualTo("x");
        JsonNode hooks = root.get("hooks");
        assertThat(hooks.fieldNames()).toIterable()
                .containsExactlyInAnyOrder("AfterAgent", "BeforeAgent", "Notification", "SessionStart", "PreCompress");
        assertThat(hooks.get("AfterAgent")).hasSize(2);
        assertThat(hooks.at("/AfterAgent/0/hooks/0/command").asText()).isEqualTo("theirs");
        JsonNode ours = hooks.at("/AfterAgent/1/hooks/0");
        assertThat(ours.get("command").asText()).isEqualTo("'/opt/rule mux/rulemux' hook AfterAgent");
        assertThat(ours.at("/env/RULEMUX_AGENT").asText()).isEqualTo("gem");
        assertThat(ours.at("/env/RULEMUX_CONFIG").asText()).isEqualTo(dir.toString());
        assertThat(hooks.at("/Notification/0/matcher").asText()).isEqualTo("ToolPermission");
        assertThat(hooks.at("/Notification/0/hooks/0/command").asText()).endsWith(" hook PermissionPrompt");
    }

    @Test
    void givenAFolderOthersMayWriteAbove_thenGeminiCliWouldSkipTheFileAndNoneIsNamed() {
        // @TempDir is under /tmp, which everyone may write to
        assertThat(HookWiring.geminiReadsSystemFilesIn(dir)).isFalse();
        assertThat(HookWiring.geminiReadsSystemFilesIn(Path.of("/tmp"))).isFalse();
    }

    @Test
    void givenNoSystemDefaultsNamed_thenTheUsualOneIsBesideTheSystemSettings() {
        assertThat(HookWiring.usualGeminiDefaults(java.util.Map.of(), java.util.Map.of()))
                .isEqualTo(Path.of("/etc/gemini-cli/system-defaults.json"));
        assertThat(HookWiring.usualGeminiDefaults(java.util.Map.of("GEMINI_CLI_SYSTEM_DEFAULTS_PATH", "/a/d.json"),
                java.util.Map.of("GEMINI_CLI_SYSTEM_DEFAULTS_PATH", "/b/d.json"))).isEqualTo(Path.of("/a/d.json"));
        assertThat(HookWiring.usualGeminiDefaults(java.util.Map.of(),
                java.util.Map.of("GEMINI_CLI_SYSTEM_SETTINGS_PATH", "/c/settings.json"))).isEqualTo(Path.of("/c/system-defaults.json"));
    }

    @Test
    void shellWordsAndTomlStringsCannotBreakOut() {
        assertThat(HookWiring.shellWord("/a/b-c.d")).isEqualTo("/a/b-c.d");
        assertThat(HookWiring.shellWord("it's $HOME")).isEqualTo("'it'\\''s $HOME'");
        assertThat(HookWiring.tomlString("a\"b\\c\n")).isEqualTo("\"a\\\"b\\\\c\\u000a\"");
    }
}
