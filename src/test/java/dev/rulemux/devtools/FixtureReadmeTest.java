package dev.rulemux.devtools;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FixtureReadmeTest {

    @TempDir
    Path dir;

    @Test
    void a_partial_recording_replaces_its_sections_and_keeps_the_others_in_scenario_order() throws Exception {
        // given
        Path readme = dir.resolve("README.md");
        FixtureReadme.update(readme, "# Old header\n", List.of(new FixtureReadme.Section("idle", "old idle"),
                new FixtureReadme.Section("working", "old working")), List.of("idle", "working", "approval"),
                Map.of("rate-limited", "old reason"));

        // when
        FixtureReadme.update(readme, "# New header\n\nintro", List.of(new FixtureReadme.Section("approval", "new approval"),
                new FixtureReadme.Section("idle", "new idle\n\n1. step")), List.of("idle", "working", "approval"),
                Map.of("rate-limited", "new reason"));

        // then
        assertThat(Files.readString(readme)).isEqualTo("""
                # New header

                intro

                ## idle

                new idle

                1. step

                ## working

                old working

                ## approval

                new approval

                ## Not recorded

                - `rate-limited`: new reason
                """);
    }

    @Test
    void sections_are_read_by_their_headings() {
        assertThat(FixtureReadme.sections("# T\n\nintro\n## a\n\nbody a\n## b\nbody b\n"))
                .containsExactly(Map.entry("a", "body a"), Map.entry("b", "body b"));
    }
}
