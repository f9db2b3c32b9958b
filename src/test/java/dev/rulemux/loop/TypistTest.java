package dev.rulemux.loop;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rulemux.config.ConfigException;
import dev.rulemux.config.Problems;
import dev.rulemux.config.Profile;
import dev.rulemux.config.ProfileReader;
import dev.rulemux.terminal.FakeTerminal;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * When the submit keys follow a paste: after the profile's {@code submit_delay}, or, with {@code submit_after_draft},
 * that long after the pasted text shows in the input box, whichever comes first. Screens recorded from Claude Code
 * 2.1.332: its idle box, and the box holding a pasted prompt.
 */
class TypistTest {

    private static final String IDLE = "claude-code-2.1.332/idle";
    private static final String PASTED = "claude-code-2.1.332/unsubmitted-paste";

    @TempDir
    Path dir;

    private final FakeTime time = new FakeTime();
    private final FakeTerminal terminal = new FakeTerminal().running("team", "a");

    @Test
    void givenSubmitAfterDraft_whenThePasteShowsAtOnce_thenEnterFollowsItByTheMarginNotTheDelay() throws IOException {
        Profile profile = claudeWith("submit_delay: 250ms\n  submit_after_draft: 30ms");
        terminal.shows("a", IDLE).afterPasteShows("a", PASTED);

        long waited = new Typist(time, time).type(terminal, pane(), profile, "a long prompt");

        // the draft must read the same at two looks, 10 ms apart, then 30 ms more
        assertThat(waited).isEqualTo(40);
        assertThat(terminal.inputs("a")).extracting(Object::toString)
                .containsExactly("a PASTE a long prompt", "a KEYS [Enter]");
    }

    @Test
    void givenSubmitAfterDraft_whenTheCliDrawsThePasteLate_thenEnterWaitsForIt() throws IOException {
        Profile profile = claudeWith("submit_delay: 250ms\n  submit_after_draft: 30ms");
        terminal.shows("a", IDLE).afterPasteShows("a", PASTED).drawsPasteAfterLooks("a", 8);

        long waited = new Typist(time, time).type(terminal, pane(), profile, "a long prompt");

        // drawn at the 8th look (70 ms after the paste), seen again at the 9th, then the margin
        assertThat(waited).isEqualTo(80 + 30);
        assertThat(terminal.pressed("a")).containsExactly(List.of("Enter"));
    }

    @Test
    void givenSubmitAfterDraft_whenThePasteNeverShows_thenEnterComesAfterTheDelay() throws IOException {
        Profile profile = claudeWith("submit_delay: 250ms\n  submit_after_draft: 30ms");
        terminal.shows("a", IDLE);   // the box stays empty: a paste the CLI did not take, or cannot be seen

        long waited = new Typist(time, time).type(terminal, pane(), profile, "a long prompt");

        assertThat(waited).isEqualTo(250);
        assertThat(terminal.pressed("a")).containsExactly(List.of("Enter"));
    }

    @Test
    void givenADraftAlreadyInTheBox_whenTheBoxLooksTheSameAfterThePaste_thenEnterComesAfterTheDelay() throws IOException {
        Profile profile = claudeWith("submit_delay: 250ms\n  submit_after_draft: 30ms");
        terminal.shows("a", PASTED);   // a draft left before: the same box tells nothing about this paste

        long waited = new Typist(time, time).type(terminal, pane(), profile, "more text");

        assertThat(waited).isEqualTo(250);
    }

    @Test
    void givenNoSubmitAfterDraft_whenTyping_thenEnterComesAfterTheDelayAndTheScreenIsNotLookedAt() throws IOException {
        Profile profile = claudeWith("submit_delay: 250ms");
        terminal.shows("a", IDLE).afterPasteShows("a", PASTED).fails(FakeTerminal.Call.CAPTURE, "not looked at");

        long waited = new Typist(time, time).type(terminal, pane(), profile, "a long prompt");

        assertThat(waited).isEqualTo(250);
        assertThat(terminal.pressed("a")).containsExactly(List.of("Enter"));
    }

    @Test
    void givenACaptureThatFails_whenTyping_thenEnterStillComesAfterTheDelay() throws IOException {
        Profile profile = claudeWith("submit_delay: 250ms\n  submit_after_draft: 30ms");
        terminal.shows("a", IDLE).fails(FakeTerminal.Call.CAPTURE, "can't find pane");

        long waited = new Typist(time, time).type(terminal, pane(), profile, "a long prompt");

        assertThat(waited).isEqualTo(250);
        assertThat(terminal.pressed("a")).containsExactly(List.of("Enter"));
    }

    @Test
    void givenSubmitAfterDraftLongerThanTheDelay_whenTheProfileIsRead_thenItIsRefusedNamingTheField() throws IOException {
        Problems problems = new Problems();
        ProfileReader.read("claude-code", write("submit_delay: 100ms\n  submit_after_draft: 200ms"), problems);

        assertThat(problems.list()).singleElement().asString()
                .contains("submit_after_draft").contains("must not be longer than submit_delay (100ms)");
    }

    private String pane() {
        return terminal.panes("team").get(0).id();
    }

    /** The shipped Claude Code profile with its delivery section replaced by {@code delivery}. */
    private Profile claudeWith(String delivery) throws IOException {
        Problems problems = new Problems();
        Profile profile = ProfileReader.read("claude-code", write(delivery), problems);
        if (!problems.list().isEmpty()) {
            throw new ConfigException(problems.list());
        }
        return profile;
    }

    private Path write(String delivery) throws IOException {
        String shipped = Files.readString(Path.of("profiles/claude-code.yaml"));
        int start = shipped.indexOf("\ndelivery:\n");
        int end = shipped.indexOf("\n\n", start + 1);
        assertThat(start).isPositive();
        String yaml = shipped.substring(0, start) + "\ndelivery:\n  " + delivery + "\n" + shipped.substring(end);
        return Files.writeString(dir.resolve("claude-code.yaml"), yaml);
    }
}
