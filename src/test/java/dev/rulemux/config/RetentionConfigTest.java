package dev.rulemux.config;

import static dev.rulemux.ConfigDirs.TWO_SHELLS;
import static dev.rulemux.ConfigDirs.sources;
import static dev.rulemux.ConfigDirs.write;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The retention knobs of agents.yaml: how much of its logs, prompt files and journal a run keeps. */
class RetentionConfigTest {

    @TempDir
    Path dir;

    @Test
    void givenNoRetentionWhenLoadedThenTheDefaultsApply() {
        write(dir, "agents.yaml", TWO_SHELLS);

        Retention r = ConfigLoader.load(sources(dir)).team().retention();

        assertThat(r).isEqualTo(new Retention(10 * Retention.MIB, 3, 200, 30));
    }

    @Test
    void givenRetentionKnobsWhenLoadedThenTheyApply() {
        write(dir, "agents.yaml", TWO_SHELLS + """
                retention:
                  log_size: 512KiB
                  logs_kept: 5
                  prompt_files_kept: 50
                  events_kept_days: 7
                """);

        assertThat(ConfigLoader.load(sources(dir)).team().retention()).isEqualTo(new Retention(512 * 1024, 5, 50, 7));
    }

    @Test
    void givenBadRetentionKnobsWhenLoadedThenEachIsNamedAtItsLine() {
        write(dir, "agents.yaml", TWO_SHELLS + """
                retention:
                  log_size: 10MB
                  logs_kept: -1
                  events_kept_days: 0
                  keep_forever: yes
                """);
        Path file = dir.resolve("agents.yaml");

        assertThatThrownBy(() -> ConfigLoader.load(sources(dir))).isInstanceOfSatisfying(ConfigException.class, e ->
                assertThat(e.problems()).extracting(Problem::toString).containsExactly(
                        file + ":13: retention.log_size: must be a size such as 512KiB, 10MiB or 1GiB, not \"10MB\"",
                        file + ":14: retention.logs_kept: must be between 0 and 100, not -1",
                        file + ":15: retention.events_kept_days: must be between 1 and 36500, not 0",
                        file + ":16: retention.keep_forever: is not a known field (known: events_kept_days, log_size, logs_kept, "
                                + "prompt_files_kept)"));
    }
}
