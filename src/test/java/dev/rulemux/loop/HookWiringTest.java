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
    void shellWordsAndTomlStringsCannotBreakOut() {
        assertThat(HookWiring.shellWord("/a/b-c.d")).isEqualTo("/a/b-c.d");
        assertThat(HookWiring.shellWord("it's $HOME")).isEqualTo("'it'\\''s $HOME'");
        assertThat(HookWiring.tomlString("a\"b\\c\n")).isEqualTo("\"a\\\"b\\\\c\\u000a\"");
    }
}
