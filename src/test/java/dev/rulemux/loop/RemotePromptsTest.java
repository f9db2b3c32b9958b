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

/** What the shipped prompts tell an agent on another host (no rulemux there) and one on this machine. */
class RemotePromptsTest {

    @TempDir
    Path dir;

    private Config config() {
        ConfigDirs.write(dir, "agents.yaml", """
                session: s
                agents:
                  - {name: here, profile: shell, command: bash, tier: low}
                  - {name: there, host: dev@gpu-box, profile: shell, command: bash, tier: low}
                """);
        ConfigDirs.write(dir, "tasks.yaml", "tasks:\n  - {id: t1, complexity: low, prompt: \"" + "Do it. ".repeat(2000) + "\"}\n");
        return ConfigLoader.load(ConfigDirs.sources(dir));
    }

    @Test
    void givenAnAgentOnAnotherHost_thenItsPromptTellsItToReportBySettingItsPanesOption_andComesWholeNotAsAFileOfThisMachine() {
        Config config = config();
        Prompts prompts = new Prompts(config, Clock.systemUTC());

        String prompt = prompts.forTask(config.tasks().get(0), config.team().agent("there").orElseThrow(), Map.of());

        assertThat(prompt).contains("tmux set-option -p @rulemux-report \"done t1 <one-line summary>\"",
                "tmux set-option -p @rulemux-report \"blocked t1 <what blocks you>\"", "Do it. Do it.")
                .doesNotContain("rulemux report", "--note");
    }

    @Test
    void givenAnAgentOnThisMachine_thenItsPromptTellsItToRunRulemuxReport() {
        Config config = config();
        Prompts prompts = new Prompts(config, Clock.systemUTC());

        String prompt = prompts.render("worker", config.tasks().get(0), config.team().agent("here").orElseThrow(), Map.of());

        assertThat(prompt).contains(" report done t1 --note \"<one-line summary>\"", " report blocked t1 --note \"<what blocks you>\"")
                .doesNotContain("@rulemux-report");
    }
}
