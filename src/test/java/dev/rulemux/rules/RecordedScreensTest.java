package dev.rulemux.rules;

import static dev.rulemux.rules.PolicySpec.spec;
import static org.assertj.core.api.Assertions.assertThat;

import dev.rulemux.domain.Status;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Every screen recorded from the real CLIs (src/test/resources/screens/) is classified as what it shows.
 * Each row: the fixture, the agent whose profile reads it, how long the screen has been still, the pane's
 * command ("-" when unknown), the status, and the context used ("-" when not shown).
 */
class RecordedScreensTest {

    @ParameterizedTest(name = "{0} is {4}")
    @CsvSource(delimiter = '|', textBlock = """
            claude-code/idle                      | claude | 5000 | -     | IDLE              | -
            claude-code/trust-dialog              | claude | 5000 | -     | STARTING          | -
            claude-code/working                   | claude | 5000 | -     | WORKING           | -
            claude-code/working-second-turn       | claude | 5000 | -     | WORKING           | -
            claude-code/streaming                 | claude | 5000 | -     | WORKING           | -
            claude-code/queued-while-working      | claude | 5000 | -     | WORKING           | -
            claude-code/finished                  | claude | 5000 | -     | IDLE              | -
            claude-code/finished                  | claude | 100  | -     | IDLE              | -
            claude-code/unsubmitted-long-prompt   | claude | 5000 | -     | AWAITING_SUBMIT   | -
            claude-code/unsubmitted-paste         | claude | 5000 | -     | AWAITING_SUBMIT   | -
            claude-code/unsubmitted-short-prompt  | claude | 5000 | -     | IDLE              | -
            claude-code/context-98                | claude | 5000 | -     | IDLE              | 98
            claude-code/approval                  | claude | 5000 | -     | AWAITING_APPROVAL | -
            claude-code/rate-limited              | claude | 5000 | -     | RATE_LIMITED      | -
            claude-code/usage-limit               | claude | 5000 | -     | RATE_LIMITED      | -
            claude-code/exited                    | claude | 5000 | -     | EXITED            | -
            claude-code/exited                    | claude | 5000 | bash  | EXITED            | -
            claude-code/idle                      | claude | 5000 | claude| IDLE              | -
            codex/idle                            | codex  | 5000 | -     | IDLE              | 0
            codex/trust-dialog                    | codex  | 5000 | -     | STARTING          | -
            codex/working                         | codex  | 5000 | -     | WORKING           | 0
            codex/working-second-turn             | codex  | 5000 | -     | WORKING           | 0
            codex/streaming                       | codex  | 300  | -     | WORKING           | 0
            codex/queued-while-working            | codex  | 5000 | -     | WORKING           | 0
            codex/finished                        | codex  | 5000 | -     | IDLE              | 0
            codex/finished                        | codex  | 100  | -     | IDLE              | 0
            codex/unsubmitted-long-prompt         | codex  | 5000 | -     | AWAITING_SUBMIT   | 0
            codex/unsubmitted-short-prompt        | codex  | 5000 | -     | AWAITING_SUBMIT   | 0
            codex/unsubmitted-paste               | codex  | 5000 | -     | AWAITING_SUBMIT   | 0
            codex/context-90                      | codex  | 5000 | -     | IDLE              | 90
            codex/context-98                      | codex  | 5000 | -     | IDLE              | 98
            codex/approval                        | codex  | 5000 | -     | AWAITING_APPROVAL | -
            codex/rate-limited                    | codex  | 5000 | -     | RATE_LIMITED      | 0
            codex/usage-limit                     | codex  | 5000 | -     | RATE_LIMITED      | 0
            codex/exited                          | codex  | 5000 | -     | EXITED            | -
            gemini/idle                           | gemini | 5000 | -     | IDLE              | 0
            gemini/trust-dialog                   | gemini | 5000 | -     | STARTING          | -
            gemini/working                        | gemini | 5000 | -     | WORKING           | 0
            gemini/working-second-turn            | gemini | 5000 | -     | WORKING           | 0
            gemini/streaming                      | gemini | 5000 | -     | WORKING           | 0
            gemini/queued-while-working           | gemini | 5000 | -     | WORKING           | 0
            gemini/finished                       | gemini | 5000 | -     | IDLE              | 0
            gemini/finished                       | gemini | 200  | -     | WORKING           | 0
            gemini/unsubmitted-long-prompt        | gemini | 5000 | -     | AWAITING_SUBMIT   | 0
            gemini/unsubmitted-short-prompt       | gemini | 5000 | -     | AWAITING_SUBMIT   | 0
            gemini/unsubmitted-paste              | gemini | 5000 | -     | AWAITING_SUBMIT   | 0
            gemini/context-compressed             | gemini | 5000 | -     | IDLE              | 0
            gemini/approval                       | gemini | 5000 | -     | AWAITING_APPROVAL | -
            gemini/usage-limit                    | gemini | 5000 | -     | RATE_LIMITED      | -
            gemini/exited                         | gemini | 5000 | -     | EXITED            | -
            shell/idle                            | shell  | 5000 | bash  | IDLE              | -
            shell/typed-not-run                   | shell  | 5000 | bash  | AWAITING_SUBMIT   | -
            shell/running                         | shell  | 5000 | sleep | WORKING           | -
            """)
    void aRecordedScreenIsClassifiedAsWhatItShows(String fixture, String agent, long unchangedMs, String paneCommand,
                                                  Status status, String context) {
        PolicySpec.Verdict v = spec().screen(agent, fixture, unchangedMs, paneCommand.equals("-") ? null : paneCommand)
                .decide();

        assertThat(v.status(agent)).as(v.reason(agent)).isEqualTo(status);
        if (context.equals("-")) {
            assertThat(v.contextUsed(agent)).isEmpty();
        } else {
            assertThat(v.contextUsed(agent)).contains(Integer.parseInt(context));
        }
    }

    @Test
    void everyRecordedScreenHasAClassificationRow() throws IOException {
        Set<String> fixtures = new TreeSet<>();
        for (String profile : List.of("claude-code", "codex", "gemini", "shell")) {
            try (Stream<Path> files = Files.list(PolicySpec.SCREENS.resolve(profile))) {
                files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".txt"))
                        .forEach(n -> fixtures.add(profile + "/" + n.substring(0, n.length() - 4)));
            }
        }
        String source = Files.readString(Path.of("src/test/java/dev/rulemux/rules/RecordedScreensTest.java"));
        assertThat(fixtures).isNotEmpty().allSatisfy(f -> assertThat(source).contains(f + " "));
    }
}
