package dev.rulemux.rules;

import static dev.rulemux.rules.PolicySpec.spec;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.rulemux.domain.Status;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Every screen recorded from the real CLIs (src/test/resources/screens/) is classified as what it shows.
 * Each row: the fixture, the agent whose profile reads it, how long the screen has been still, the pane's
 * command ("-" when unknown), the status, and the context used ("-" when not shown).
 *
 * <p>{@code <profile>/} holds the first recordings of each profile (other specs use their paths); a later
 * version's recordings go beside them into {@code <profile>-<version>/} (e.g. {@code claude-code-2.1.332/}),
 * and the old ones stay as regression cases: a profile must read every version it was recorded from.
 */
class RecordedScreensTest {

    /** A directory of recordings: {@code claude-code}, or {@code claude-code-2.1.332} for a later version's. */
    static final Pattern SCREEN_DIR = Pattern.compile("(?<profile>[a-z]+(?:-[a-z]+)*)(?:-(?<version>\\d+(?:\\.\\d+)+))?");

    /**
     * {@code -Drulemux.screens.check=DIR}: screens recorded into {@code DIR/<profile>/<scenario>.txt} (by
     * scripts/check-latest-clis, from the newest CLI versions) are held to the rows of {@code <reference>/<scenario>},
     * the profile's reference folder ({@link #referenceDir}).
     */
    static final String CHECK_PROPERTY = "rulemux.screens.check";

    /**
     * {@code -Drulemux.screens.pinned=claude-code=2.1.332,codex=0.171.0,…}: the pinned version of each profile's CLI
     * (scripts/check-latest-clis sets it from scripts/install-clis), whose recordings the newest ones are held to.
     */
    static final String PINNED_PROPERTY = "rulemux.screens.pinned";

    /**
     * The folder of recordings that a profile's newly recorded screens are held to: the pinned version's
     * ({@code <profile>-<pinned>/}) when there is one, else the newest version's ({@code <profile>-<version>/}, versions
     * compared number by number), else the first recordings ({@code <profile>/}); empty when the profile has none.
     * scripts/check-latest-clis chooses the same ({@code --reference-folders}).
     */
    static java.util.Optional<String> referenceDir(String profile, String pinned, java.util.Collection<String> dirs) {
        if (pinned != null && dirs.contains(profile + "-" + pinned)) {
            return java.util.Optional.of(profile + "-" + pinned);
        }
        java.util.Optional<String> newest = dirs.stream().map(SCREEN_DIR::matcher)
                .filter(m -> m.matches() && profile.equals(m.group("profile")) && m.group("version") != null)
                .max((a, b) -> compareVersions(a.group("version"), b.group("version"))).map(Matcher::group);
        return newest.isPresent() ? newest : dirs.contains(profile) ? java.util.Optional.of(profile) : java.util.Optional.empty();
    }

    /** Dotted versions compared number by number ({@code 0.9.1 < 0.10.0}). */
    static int compareVersions(String a, String b) {
        String[] x = a.split("\\.");
        String[] y = b.split("\\.");
        for (int i = 0; i < Math.max(x.length, y.length); i++) {
            int c = Long.compare(i < x.length ? Long.parseLong(x[i]) : 0, i < y.length ? Long.parseLong(y[i]) : 0);
            if (c != 0) {
                return c;
            }
        }
        return 0;
    }

    /** {@code claude-code=2.1.332,codex=0.171.0} as a map from profile to version. */
    static java.util.Map<String, String> pinnedVersions(String property) {
        java.util.Map<String, String> out = new java.util.HashMap<>();
        for (String pair : property.split(",")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                out.put(pair.substring(0, eq).strip(), pair.substring(eq + 1).strip());
            }
        }
        return out;
    }

    static final String CLASSIFICATIONS = """
            qwen-code-0.24.4/idle                        | qwen     | 5000 | -      | IDLE              | -
            qwen-code-0.24.4/finished                    | qwen     | 5000 | -      | IDLE              | -
            qwen-code-0.24.4/working                     | qwen     | 5000 | -      | WORKING           | -
            qwen-code-0.24.4/working-second-turn         | qwen     | 5000 | -      | WORKING           | 0
            qwen-code-0.24.4/unsubmitted-paste           | qwen     | 5000 | -      | AWAITING_SUBMIT   | -
            opencode-1.18.33/idle                        | opencode | 5000 | -      | IDLE              | -
            opencode-1.18.33/finished                    | opencode | 5000 | -      | IDLE              | 1
            opencode-1.18.33/finished                    | opencode | 100  | -      | WORKING           | 1
            opencode-1.18.33/working                     | opencode | 5000 | -      | WORKING           | 0
            opencode-1.18.33/working-second-turn         | opencode | 5000 | -      | WORKING           | 1
            opencode-1.18.33/unsubmitted-paste           | opencode | 5000 | -      | AWAITING_SUBMIT   | -
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
            claude-code-2.1.332/idle                     | claude | 5000 | -      | IDLE              | -
            claude-code-2.1.332/idle                     | claude | 5000 | claude | IDLE              | -
            claude-code-2.1.332/trust-dialog             | claude | 5000 | -      | STARTING          | -
            claude-code-2.1.332/working                  | claude | 5000 | -      | WORKING           | -
            claude-code-2.1.332/working-second-turn      | claude | 5000 | -      | WORKING           | -
            claude-code-2.1.332/streaming                | claude | 5000 | -      | WORKING           | -
            claude-code-2.1.332/queued-while-working     | claude | 5000 | -      | WORKING           | -
            claude-code-2.1.332/finished                 | claude | 5000 | -      | IDLE              | -
            claude-code-2.1.332/finished                 | claude | 100  | -      | IDLE              | -
            claude-code-2.1.332/unsubmitted-long-prompt  | claude | 5000 | -      | AWAITING_SUBMIT   | -
            claude-code-2.1.332/unsubmitted-paste        | claude | 5000 | -      | AWAITING_SUBMIT   | -
            # 2.1.332 submits the short naive prompt too, and was still working on it when captured
            claude-code-2.1.332/unsubmitted-short-prompt | claude | 5000 | -      | WORKING           | -
            claude-code-2.1.332/context-98               | claude | 5000 | -      | IDLE              | 99
            claude-code-2.1.332/approval                 | claude | 5000 | -      | AWAITING_APPROVAL | -
            claude-code-2.1.332/rate-limited             | claude | 5000 | -      | RATE_LIMITED      | -
            claude-code-2.1.332/usage-limit              | claude | 5000 | -      | RATE_LIMITED      | -
            claude-code-2.1.332/exited                   | claude | 5000 | -      | EXITED            | -
            claude-code-2.1.332/exited                   | claude | 5000 | bash   | EXITED            | -
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
            # captured 2.6 s after the start, before the status line (and its context meter) showed
            codex-0.171.0/idle                           | codex  | 5000 | -      | IDLE              | -
            codex-0.171.0/trust-dialog                   | codex  | 5000 | -      | STARTING          | -
            codex-0.171.0/working                        | codex  | 5000 | -      | WORKING           | 0
            codex-0.171.0/working-second-turn            | codex  | 5000 | -      | WORKING           | 0
            codex-0.171.0/streaming                      | codex  | 300  | -      | WORKING           | 0
            codex-0.171.0/queued-while-working           | codex  | 5000 | -      | WORKING           | 0
            codex-0.171.0/finished                       | codex  | 5000 | -      | IDLE              | 0
            codex-0.171.0/finished                       | codex  | 100  | -      | IDLE              | 0
            codex-0.171.0/unsubmitted-long-prompt        | codex  | 5000 | -      | AWAITING_SUBMIT   | 0
            codex-0.171.0/unsubmitted-short-prompt       | codex  | 5000 | -      | AWAITING_SUBMIT   | 0
            codex-0.171.0/unsubmitted-paste              | codex  | 5000 | -      | AWAITING_SUBMIT   | 0
            codex-0.171.0/context-90                     | codex  | 5000 | -      | IDLE              | 90
            codex-0.171.0/context-98                     | codex  | 5000 | -      | IDLE              | 98
            codex-0.171.0/approval                       | codex  | 5000 | -      | AWAITING_APPROVAL | -
            codex-0.171.0/rate-limited                   | codex  | 5000 | -      | RATE_LIMITED      | 0
            codex-0.171.0/usage-limit                    | codex  | 5000 | -      | RATE_LIMITED      | 0
            codex-0.171.0/exited                         | codex  | 5000 | -      | EXITED            | -
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
            """;

    @ParameterizedTest(name = "{0} is {4}")
    @CsvSource(delimiter = '|', textBlock = CLASSIFICATIONS)
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
        for (Path dir : screenDirs()) {
            try (Stream<Path> files = Files.list(dir)) {
                files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".txt"))
                        .forEach(n -> fixtures.add(dir.getFileName() + "/" + n.substring(0, n.length() - 4)));
            }
        }
        Set<String> rows = new TreeSet<>(rows().stream().map(r -> r.get(0)).toList());

        assertThat(fixtures).isNotEmpty().allSatisfy(f -> assertThat(rows).contains(f));
    }

    @Test
    void everyDirectoryOfRecordingsIsAProfileOrAProfileAtAVersionAndSaysWhichVersion() throws IOException {
        List<Path> dirs = screenDirs();

        assertThat(dirs).extracting(d -> d.getFileName().toString())
                .contains("claude-code", "codex", "gemini", "shell")
                .allSatisfy(name -> assertThat(name).matches(SCREEN_DIR));
        for (Path dir : dirs) {
            Matcher m = SCREEN_DIR.matcher(dir.getFileName().toString());
            assertThat(m.matches()).isTrue();
            assertThat(Path.of("profiles", m.group("profile") + ".yaml")).as("the profile of " + dir).exists();
            if (m.group("version") != null) {
                assertThat(Files.readString(dir.resolve("README.md"), StandardCharsets.UTF_8))
                        .as(dir + "/README.md").contains("- Program: ").contains(" " + m.group("version") + ".");
            }
        }
    }

    /**
     * Screens recorded from other CLI versions into {@code -Drulemux.screens.check=DIR} are classified as the
     * rows of their scenario say; skipped without the property (scripts/check-latest-clis sets it).
     */
    @TestFactory
    Stream<DynamicTest> screensOfTheNewestVersionsAreClassifiedAsTheRecordedOnes() throws IOException {
        String check = System.getProperty(CHECK_PROPERTY, "");
        assumeTrue(!check.isBlank(), "-D" + CHECK_PROPERTY + "=DIR checks screens recorded into DIR");
        Path root = Path.of(check).toAbsolutePath();
        java.util.Map<String, String> pinned = pinnedVersions(System.getProperty(PINNED_PROPERTY, ""));
        List<String> dirs = screenDirs().stream().map(d -> d.getFileName().toString()).toList();
        List<DynamicTest> tests = new ArrayList<>();
        for (List<String> row : rows()) {
            String rowDir = row.get(0).substring(0, row.get(0).indexOf('/'));
            String scenario = row.get(0).substring(rowDir.length() + 1);
            Matcher dir = SCREEN_DIR.matcher(rowDir);
            if (!dir.matches()) {
                continue;
            }
            String profile = dir.group("profile");
            // the recorder writes <profile>/<scenario>.txt; held to the rows of the profile's reference folder
            Path recorded = root.resolve(profile).resolve(scenario + ".txt");
            if (referenceDir(profile, pinned.get(profile), dirs).filter(rowDir::equals).isPresent() && Files.exists(recorded)) {
                String fixture = root.resolve(profile).resolve(scenario).toString();
                tests.add(DynamicTest.dynamicTest(profile + "/" + scenario + " (held to " + row.get(0) + ") is " + row.get(4), () -> {
                    try {
                        aRecordedScreenIsClassifiedAsWhatItShows(fixture, row.get(1), Long.parseLong(row.get(2)),
                                row.get(3), Status.valueOf(row.get(4)), row.get(5));
                    } catch (AssertionError e) {
                        // surefire's report names a dynamic test by its factory only: say which screen it was
                        throw new AssertionError(profile + "/" + scenario + " held to " + row.get(0) + " ("
                                + String.join(" | ", row.subList(1, row.size()))
                                + "): " + e.getMessage().strip().replaceAll("\\s+", " "), e);
                    }
                }));
            }
        }
        assertThat(tests).as("screens recorded in " + root).isNotEmpty();
        return tests.stream();
    }

    /** The rows of {@link #CLASSIFICATIONS}, each a list of its six trimmed cells. */
    static List<List<String>> rows() {
        return CLASSIFICATIONS.lines().filter(l -> !l.isBlank() && !l.strip().startsWith("#"))
                .map(l -> Stream.of(l.split("\\|")).map(String::strip).toList()).toList();
    }

    /** The directories under src/test/resources/screens, by name. */
    private static List<Path> screenDirs() throws IOException {
        try (Stream<Path> dirs = Files.list(PolicySpec.SCREENS)) {
            return dirs.filter(Files::isDirectory).sorted().toList();
        }
    }
}
