package dev.rulemux.screen;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rulemux.config.Problems;
import dev.rulemux.config.Profile;
import dev.rulemux.config.ProfileReader;
import dev.rulemux.domain.PaneSnapshot;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The turn lines of a transcript (a profile's {@code turns:}) on the screens recorded from the real CLIs, and when a
 * later screen shows a turn an earlier one did not, scrolling included.
 */
class TurnsTest {

    private static final Path SCREENS = Path.of("src/test/resources/screens");

    private static Profile profile(String name) {
        Problems problems = new Problems();
        Profile p = ProfileReader.read(name, Path.of("profiles", name + ".yaml"), problems);
        assertThat(problems.list()).isEmpty();
        return p;
    }

    private static List<String> turns(String profile, String fixture) throws IOException {
        String screen = Files.readString(SCREENS.resolve(fixture + ".txt"));
        return ScreenReader.read(profile(profile), PaneSnapshot.recorded("a", screen, 0)).turns();
    }

    @Test
    void givenGeminiScreens_thenEachAnswerOfTheModelIsOneTurnLine_andNoneIsSeenBeforeTheFirstAnswer() throws IOException {
        assertThat(turns("gemini", "gemini/idle")).isEmpty();
        assertThat(turns("gemini", "gemini/unsubmitted-short-prompt")).isEmpty();
        assertThat(turns("gemini", "gemini/finished")).containsExactly("✦ Done. You said: Explain the build");
        // the second prompt is at work: its answer is not there yet
        assertThat(turns("gemini", "gemini/working-second-turn")).containsExactly("✦ Done. You said: Explain the build");
        assertThat(turns("gemini", "gemini/streaming")).containsExactly("✦ Done. You said: Explain the build step by step");
    }

    @Test
    void givenQwenCodeScreens_thenEachAnswerOfTheModelIsOneTurnLine() throws IOException {
        assertThat(turns("qwen-code", "qwen-code-0.24.4/idle")).isEmpty();
        assertThat(turns("qwen-code", "qwen-code-0.24.4/finished")).singleElement()
                .satisfies(l -> assertThat(l).contains("Done. You said: Explain the build"));
    }

    @Test
    void givenAProfileWithoutTurns_thenNoTurnLineIsRead() throws IOException {
        assertThat(turns("codex", "codex/finished")).isEmpty();
    }

    @Test
    void givenTheScreenWhenAPromptWasDelivered_whenAnAnswerComesBelowItsTurnLines_thenThatIsANewTurn() throws IOException {
        List<String> delivered = turns("gemini", "gemini/idle");

        assertThat(Turns.newSince(delivered, turns("gemini", "gemini/finished")))
                .contains("✦ Done. You said: Explain the build");
    }

    @Test
    void givenTheScreenWhenASecondPromptWasDelivered_whileItIsAtWorkWithNoAnswerYet_thenThereIsNoNewTurn() throws IOException {
        assertThat(Turns.newSince(turns("gemini", "gemini/finished"), turns("gemini", "gemini/working-second-turn"))).isEmpty();
        assertThat(Turns.newSince(turns("gemini", "gemini/finished"), turns("gemini", "gemini/finished"))).isEmpty();
    }

    @Test
    void givenAScreenThatOnlyScrolled_thenThereIsNoNewTurn_evenThoughItsCountFell() {
        assertThat(Turns.newSince(List.of("✦ a", "✦ b", "✦ c"), List.of("✦ b", "✦ c"))).isEmpty();
        assertThat(Turns.newSince(List.of("✦ a"), List.of())).isEmpty();
    }

    @Test
    void givenAnAnswerTheSameAsThePreviousOne_thenItIsStillANewTurn_andSoIsOneThatScrolledAnOlderOneAway() {
        assertThat(Turns.newSince(List.of("✦ Done."), List.of("✦ Done.", "✦ Done."))).contains("✦ Done.");
        assertThat(Turns.newSince(List.of("✦ a", "✦ b"), List.of("✦ b", "✦ c"))).contains("✦ c");
    }
}
