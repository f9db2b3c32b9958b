package dev.rulemux.loop;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rulemux.board.Journal;
import dev.rulemux.config.Retention;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A long run's logs and prompt files stay within the retention's bounds. */
class RetentionTest {

    @TempDir
    Path dir;

    @Test
    void givenALogPastItsSizeWhenTheRunGoesOnThenItIsRotatedAndOnlyTheKeptFilesRemain() throws Exception {
        Retention small = new Retention(4096, 2, 200, 30);
        String line = "x".repeat(200);
        try (EventLog log = new EventLog(dir, new PrintWriter(new StringWriter()), false, Clock.systemUTC(), Journal.NONE, small)) {
            for (int i = 0; i < 200; i++) { // about 46 KiB written to orchestration.log
                log.note(i + " " + line);
            }
        }

        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files.map(f -> f.getFileName().toString()).filter(n -> n.startsWith("orchestration")).sorted())
                    .containsExactly("orchestration.log", "orchestration.log.1", "orchestration.log.2");
        }
        for (String name : new String[] {"orchestration.log", "orchestration.log.1", "orchestration.log.2"}) {
            assertThat(Files.size(dir.resolve(name))).as(name).isLessThanOrEqualTo(4096);
        }
        assertThat(Files.readString(dir.resolve("orchestration.log"), StandardCharsets.UTF_8)).contains("199 " + line);
        assertThat(Files.readString(dir.resolve("orchestration.log.1"), StandardCharsets.UTF_8)).doesNotContain("199 " + line);
    }

    @Test
    void givenALogOfAnEarlierRunWhenANewRunAppendsThenItsSizeCountsTowardsTheRotation() throws Exception {
        Files.writeString(dir.resolve("orchestration.log"), "y".repeat(4000) + "\n", StandardCharsets.UTF_8);
        try (EventLog log = new EventLog(dir, new PrintWriter(new StringWriter()), false, Clock.systemUTC(), Journal.NONE,
                new Retention(4096, 1, 200, 30))) {
            log.note("z".repeat(200));
        }

        assertThat(Files.readString(dir.resolve("orchestration.log.1"), StandardCharsets.UTF_8)).startsWith("yyyy");
        assertThat(Files.readString(dir.resolve("orchestration.log"), StandardCharsets.UTF_8)).contains("zzzz").doesNotContain("yyyy");
    }

    @Test
    void givenMorePromptFilesThanKeptWhenPrunedThenTheNewestAreKept() throws Exception {
        for (int i = 0; i < 10; i++) {
            Path f = Files.writeString(dir.resolve("alpha-t" + i + ".md"), "prompt " + i, StandardCharsets.UTF_8);
            Files.setLastModifiedTime(f, FileTime.fromMillis(1_000_000L + i * 1000L));
        }

        int deleted = Prompts.prune(dir, 3);

        assertThat(deleted).isEqualTo(7);
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files.map(f -> f.getFileName().toString()).sorted()).containsExactly("alpha-t7.md", "alpha-t8.md", "alpha-t9.md");
        }
    }
}
