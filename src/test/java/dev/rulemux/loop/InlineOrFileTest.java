package dev.rulemux.loop;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rulemux.ConfigDirs;
import dev.rulemux.config.Config;
import dev.rulemux.config.ConfigLoader;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Whether a prompt is pasted as it is or goes through a file the agent is told to read: the shipped Qwen Code profile
 * takes at most 1,000 bytes and 10 lines inline (Qwen Code 0.24.4 sends a longer paste's placeholder to the model).
 */
class InlineOrFileTest {

    @TempDir
    Path dir;

    private Prompts prompts;
    private Config config;

    private void aQwenCodeAgent() {
        ConfigDirs.write(dir, "agents.yaml", """
                session: s
                agents:
                  - {name: q, profile: qwen-code, command: qwen, tier: low}
                """);
        ConfigDirs.write(dir, "tasks.yaml", "tasks: []\n");
        config = ConfigLoader.load(ConfigDirs.sources(dir));
        prompts = new Prompts(config, Clock.systemUTC());
    }

    @Test
    void givenTenShortLines_thenTheyArePastedAsTheyAre() {
        aQwenCodeAgent();
        String text = "line\n".repeat(9) + "line";

        assertThat(prompts.inlineOrFile(text, null, config.team().agent("q").orElseThrow(), Map.of())).isEqualTo(text);
    }

    @Test
    void givenElevenShortLines_thenTheAgentIsToldToReadThemFromAFile() {
        aQwenCodeAgent();
        String text = "line\n".repeat(10) + "line";

        String typed = prompts.inlineOrFile(text, null, config.team().agent("q").orElseThrow(), Map.of());

        assertThat(typed).isNotEqualTo(text).contains(".rulemux/prompts/").doesNotContain("\n".repeat(2) + "line\nline");
    }

    @Test
    void givenOneLineOfMoreThanAThousandBytes_thenTheAgentIsToldToReadItFromAFile() {
        aQwenCodeAgent();
        String text = "é".repeat(501);   // 1,002 bytes, 501 characters

        assertThat(prompts.inlineOrFile(text, null, config.team().agent("q").orElseThrow(), Map.of()))
                .contains(".rulemux/prompts/");
    }
}
