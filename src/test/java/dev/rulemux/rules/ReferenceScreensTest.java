package dev.rulemux.rules;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rulemux.proc.Exec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Specifies which folder of recorded screens a CLI's newest screens are held to when scripts/check-latest-clis checks
 * them ({@link RecordedScreensTest#referenceDir}): the pinned version's, else the newest version's, else the first
 * recordings; and that the script chooses the same folders (its {@code --reference-folders}, which needs no network).
 */
class ReferenceScreensTest {

    private static final List<String> DIRS = List.of("claude-code", "claude-code-2.1.197", "claude-code-2.1.332", "codex",
            "gemini", "qwen-code-0.9.1", "qwen-code-0.10.0", "shell");

    @Test
    void givenAFolderOfThePinnedVersion_thenTheScreensAreHeldToIt() {
        assertThat(RecordedScreensTest.referenceDir("claude-code", "2.1.197", DIRS)).contains("claude-code-2.1.197");
    }

    @Test
    void givenNoFolderOfThePinnedVersion_thenTheNewestVersionsFolderIsTheReference_versionsComparedNumberByNumber() {
        assertThat(RecordedScreensTest.referenceDir("claude-code", "2.2.0", DIRS)).contains("claude-code-2.1.332");
        assertThat(RecordedScreensTest.referenceDir("qwen-code", null, DIRS)).contains("qwen-code-0.10.0");
    }

    @Test
    void givenOnlyTheFirstRecordings_thenTheyAreTheReference_andAProfileWithNoneHasNone() {
        assertThat(RecordedScreensTest.referenceDir("gemini", "0.61.0", DIRS)).contains("gemini");
        assertThat(RecordedScreensTest.referenceDir("opencode", "1.18.33", DIRS)).isEmpty();
        // a profile whose name begins another's is not taken for it
        assertThat(RecordedScreensTest.referenceDir("claude", null, DIRS)).isEmpty();
    }

    @Test
    void givenThePinsAsTheScriptPassesThem_thenEachProfilesVersionIsRead() {
        assertThat(RecordedScreensTest.pinnedVersions("claude-code=2.1.332,codex=0.171.0, qwen-code=0.24.4"))
                .isEqualTo(Map.of("claude-code", "2.1.332", "codex", "0.171.0", "qwen-code", "0.24.4"));
        assertThat(RecordedScreensTest.pinnedVersions("")).isEmpty();
    }

    @Test
    void givenTheShippedFixturesAndPins_thenTheScriptHoldsEachCliToTheFolderRecordedScreensTestChooses() throws IOException {
        Exec.Result r = Exec.run(List.of("bash", "scripts/check-latest-clis", "--reference-folders"), Duration.ofSeconds(30));
        assertThat(r.exitCode()).as(r.err()).isZero();
        List<String> dirs;
        try (Stream<Path> s = Files.list(PolicySpec.SCREENS)) {
            dirs = s.filter(Files::isDirectory).map(p -> p.getFileName().toString()).toList();
        }

        List<String> lines = r.out().lines().toList();
        assertThat(lines).extracting(l -> l.split(" ")[0]).containsExactly("claude-code", "codex", "gemini", "qwen-code", "opencode");
        for (String line : lines) {
            String[] cells = line.split(" ");
            Optional<String> chosen = RecordedScreensTest.referenceDir(cells[0], cells[1], dirs);
            assertThat(cells.length > 2 ? Optional.of(cells[2]) : Optional.empty()).as(line).isEqualTo(chosen);
        }
        assertThat(lines).as("every CLI is held to some fixtures").allSatisfy(l -> assertThat(l.split(" ")).hasSize(3));
    }

    @Test
    void givenScreensRecordedAsTheReferenceFixturesAre_thenEachIsHeldToItsReferenceRows_versionedFoldersIncluded(
            @org.junit.jupiter.api.io.TempDir Path recorded) throws Throwable {
        // the recorder writes <profile>/<scenario>.txt: here the reference fixtures themselves, as a CLI that did not drift
        String pins = "claude-code=2.1.332,codex=0.171.0,gemini=0.61.0,qwen-code=0.24.4,opencode=1.18.33";
        List<String> dirs;
        try (Stream<Path> s = Files.list(PolicySpec.SCREENS)) {
            dirs = s.filter(Files::isDirectory).map(p -> p.getFileName().toString()).toList();
        }
        for (Map.Entry<String, String> pin : RecordedScreensTest.pinnedVersions(pins).entrySet()) {
            Path from = PolicySpec.SCREENS.resolve(RecordedScreensTest.referenceDir(pin.getKey(), pin.getValue(), dirs).orElseThrow());
            Path to = Files.createDirectories(recorded.resolve(pin.getKey()));
            try (Stream<Path> s = Files.list(from)) {
                for (Path f : s.filter(f -> f.toString().endsWith(".txt")).toList()) {
                    Files.copy(f, to.resolve(f.getFileName()));
                }
            }
        }
        System.setProperty(RecordedScreensTest.CHECK_PROPERTY, recorded.toString());
        System.setProperty(RecordedScreensTest.PINNED_PROPERTY, pins);
        List<org.junit.jupiter.api.DynamicTest> tests;
        try {
            tests = new RecordedScreensTest().screensOfTheNewestVersionsAreClassifiedAsTheRecordedOnes().toList();
        } finally {
            System.clearProperty(RecordedScreensTest.CHECK_PROPERTY);
            System.clearProperty(RecordedScreensTest.PINNED_PROPERTY);
        }

        assertThat(tests).extracting(org.junit.jupiter.api.DynamicTest::getDisplayName)
                .contains("qwen-code/idle (held to qwen-code-0.24.4/idle) is IDLE",
                        "opencode/working (held to opencode-1.18.33/working) is WORKING",
                        "claude-code/idle (held to claude-code-2.1.332/idle) is IDLE",
                        "gemini/idle (held to gemini/idle) is IDLE")
                .noneMatch(n -> n.contains("held to claude-code/"));
        for (org.junit.jupiter.api.DynamicTest t : tests) {
            t.getExecutable().execute();
        }
    }
}
