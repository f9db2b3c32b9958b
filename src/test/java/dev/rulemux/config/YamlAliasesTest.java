package dev.rulemux.config;

import static dev.rulemux.ConfigDirs.write;
import static org.assertj.core.api.Assertions.assertThat;

import dev.rulemux.App;
import dev.rulemux.Main;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Clock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** YAML anchors and aliases are refused, naming file, line and field, instead of an alias quietly becoming its name. */
class YamlAliasesTest {

    @TempDir
    Path dir;

    @Test
    void givenAnAliasWhenTheYamlIsReadThenItIsRefusedAtItsLineAndField() {
        Path file = dir.resolve("tasks.yaml");
        Problems problems = new Problems();

        YamlReader.parse(file, """
                tasks:
                  - id: t1
                    prompt: &shared Do the thing
                  - id: t2
                    prompt: *shared
                """, problems);

        // (the anchor of a single value is harmless, its value read as written; the parser does not report it)
        assertThat(problems.list()).extracting(Problem::toString).containsExactly(
                file + ":5: tasks[1].prompt: is the YAML alias *shared: rulemux does not support anchors and aliases; "
                        + "write the value out where it is used");
    }

    @Test
    void givenAMergeKeyOfAnAnchoredMappingWhenTheYamlIsReadThenTheAnchorAndTheAliasAreRefused() {
        Path file = dir.resolve("agents.yaml");
        Problems problems = new Problems();

        YamlReader.parse(file, """
                base: &base
                  profile: shell
                agents:
                  - <<: *base
                    name: a
                """, problems);

        assertThat(problems.list()).extracting(Problem::toString).anyMatch(p -> p.startsWith(file + ":1: base: defines the YAML anchor &base"))
                .anyMatch(p -> p.startsWith(file + ":4: agents[0].<<: is the YAML alias *base"));
    }

    @Test
    void givenATaskFileWithAnAliasWhenValidatedThenTheCommandRefusesItWithExitCode2() {
        write(dir, "agents.yaml", dev.rulemux.ConfigDirs.TWO_SHELLS);
        write(dir, "tasks.yaml", "tasks:\n  - id: t1\n    prompt: &p Do it\n  - id: t2\n    prompt: *p\n");

        StringWriter err = new StringWriter();
        int exit = Main.run(new App(Clock.systemUTC()), new String[] {"validate", "--config", dir.toString()},
                new PrintWriter(new StringWriter(), true), new PrintWriter(err, true));

        assertThat(exit).isEqualTo(2);
        assertThat(err.toString()).contains(dir.resolve("tasks.yaml") + ":5: tasks[1].prompt: is the YAML alias *p");
    }
}
