package dev.rulemux.screen;

import static dev.rulemux.ConfigDirs.write;
import static org.assertj.core.api.Assertions.assertThat;

import dev.rulemux.config.Problems;
import dev.rulemux.config.Profile;
import dev.rulemux.config.ProfileReader;
import dev.rulemux.domain.MarkerKind;
import dev.rulemux.domain.PaneSnapshot;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How a capture is read with a profile: where markers count, what the input box holds, the context meter. */
class ScreenReaderTest {

    @TempDir
    Path dir;

    private Profile profile;

    @BeforeEach
    void aProfile() {
        Problems problems = new Problems();
        profile = ProfileReader.read("test", write(dir, "test.yaml", """
                scan_lines: 4
                processes: [tool]
                child_means_working: true
                input:
                  line: '^>\\s?(?<draft>.*)$'
                  placeholders: ['^Type here']
                  paste: '\\[Pasted text #\\d+'
                working: ['esc to interrupt']
                finished: ['^Done in \\d+s']
                approval:
                  markers: ['Allow this\\?']
                  accept: ['y']
                  decline: ['n']
                startup_dialogs:
                  - name: trust
                    markers: ['Trust this folder\\?']
                    accept: [Enter]
                context:
                  marker: '(?<percent>\\d+)% left'
                  measures: left
                rate_limit:
                  markers: ['limit reached']
                  reset: 'resets at (?<reset>\\S+)'
                exited:
                  markers: ['Bye!']
                  commands: [bash]
                """), problems);
        assertThat(problems.list()).isEmpty();
    }

    private Observation read(String screen) {
        return ScreenReader.read(profile, PaneSnapshot.recorded("a", screen, 0));
    }

    @Test
    void onlyTheBottomNonBlankLinesAreRead() {
        Observation seen = read("esc to interrupt\nline 1\n\nline 2\nline 3\n> \n\n\n");

        assertThat(seen.markers()).extracting(m -> m.kind()).containsExactly(MarkerKind.INPUT);
    }

    @Test
    void theLowestMatchIsReportedWithItsDistanceFromTheBottom() {
        Observation seen = read("esc to interrupt\nesc to interrupt\nsome output\n> ");

        assertThat(seen.markers()).filteredOn(m -> m.kind() == MarkerKind.WORKING).singleElement()
                .satisfies(m -> assertThat(m.fromBottom()).isEqualTo(2));
    }

    @Test
    void aPlaceholderInTheInputBoxIsAnEmptyBox() {
        assertThat(read("> Type here to ask anything").input()).hasValueSatisfying(box -> assertThat(box.hasDraft()).isFalse());
        assertThat(read("> fix the bug").input()).hasValueSatisfying(box -> assertThat(box.draft()).isEqualTo("fix the bug"));
    }

    @Test
    void aPasteMarkerInTheInputBoxIsADraftAndAMarker() {
        Observation seen = read("> [Pasted text #1 +20 lines]");

        assertThat(seen.input()).hasValueSatisfying(box -> assertThat(box.hasDraft()).isTrue());
        assertThat(seen.markers()).extracting(m -> m.kind()).contains(MarkerKind.PASTE);
    }

    @Test
    void aContextMeterInPercentLeftIsReportedAsPercentUsed() {
        assertThat(read("> \n  7% left").contextUsedPercent()).contains(93);
    }

    @Test
    void aMeterMarkerWithALeftGroupReadsThatWordingAsPercentLeftAndTheOtherAsTheProfileMeasures() {
        // given a profile whose meter measures "used", and one wording of its marker that says what is left
        Problems problems = new Problems();
        Profile twoWordings = ProfileReader.read("two", write(dir, "two.yaml", """
                input:
                  line: '^>\\s?(?<draft>.*)$'
                working: ['esc to interrupt']
                context:
                  marker: '(?<percent>\\d+)% context used|(?<left>\\d+)% until auto-compact'
                  measures: used
                """), problems);
        assertThat(problems.list()).isEmpty();

        // then each wording is read as the percentage used
        assertThat(ScreenReader.read(twoWordings, PaneSnapshot.recorded("a", "> \n  98% context used", 0))
                .contextUsedPercent()).contains(98);
        assertThat(ScreenReader.read(twoWordings, PaneSnapshot.recorded("a", "  1% until auto-compact\n> ", 0))
                .contextUsedPercent()).contains(99);
    }

    @Test
    void aLimitMarkerCarriesTheResetTimeWhenShown() {
        Observation seen = read("limit reached · resets at 5am\n> ");

        assertThat(seen.markers()).filteredOn(m -> m.kind() == MarkerKind.RATE_LIMIT).singleElement()
                .satisfies(m -> assertThat(m.value()).isEqualTo("5am"));
    }

    @Test
    void dialogsCarryTheirProfilesKeys() {
        assertThat(read("Allow this?\n 1. yes\n 2. no").dialogs()).singleElement().satisfies(d -> {
            assertThat(d.startup()).isFalse();
            assertThat(d.acceptKeys()).containsExactly("y");
            assertThat(d.declineKeys()).containsExactly("n");
        });
        assertThat(read("Trust this folder?").dialogs()).singleElement().satisfies(d -> {
            assertThat(d.startup()).isTrue();
            assertThat(d.name()).isEqualTo("trust");
        });
    }

    @Test
    void thePanesCommandTellsAnExitAndAChildProcessAtWork() {
        assertThat(ScreenReader.read(profile, new PaneSnapshot("a", "> ", 0, false, "bash", -1)).markers())
                .extracting(m -> m.kind()).contains(MarkerKind.EXITED);
        assertThat(ScreenReader.read(profile, new PaneSnapshot("a", "> ", 0, false, "make", -1)).markers())
                .extracting(m -> m.kind()).contains(MarkerKind.WORKING);
        assertThat(ScreenReader.read(profile, new PaneSnapshot("a", "> ", 0, false, "tool", -1)).markers())
                .extracting(m -> m.kind()).containsExactly(MarkerKind.INPUT);
    }

    @Test
    void nonBreakingSpacesCountAsSpace() {
        assertThat(read(">\u00a0\u00a0").input()).hasValueSatisfying(box -> assertThat(box.hasDraft()).isFalse());
    }
}
