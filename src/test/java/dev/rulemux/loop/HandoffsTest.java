package dev.rulemux.loop;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rulemux.domain.HandoffNote;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The handoff notes agents write: read whatever their bytes, bounded, and read again only when they change. */
class HandoffsTest {

    @TempDir
    Path dir;

    @Test
    void givenANoteThatIsNotUtf8WhenTheLoopLooksThenItIsWrittenAndReadWithTheBadBytesReplaced() throws Exception {
        Handoffs handoffs = new Handoffs(dir);
        Path file = handoffs.asked("alpha", "t1");
        Files.write(file, new byte[] {'d', 'o', 'n', 'e', ' ', (byte) 0xE9, ' ', 'o', 'k'}); // Latin-1 é

        assertThat(handoffs.facts()).extracting(HandoffNote::written).containsExactly(true);
        assertThat(handoffs.note("alpha", "t1")).contains("done \uFFFD ok");
    }

    @Test
    void givenAHugeNoteWhenItIsReadThenOnlyItsFirst256KiBAreKeptAndTheCutIsSaid() throws Exception {
        Handoffs handoffs = new Handoffs(dir);
        Path file = handoffs.asked("alpha", "t1");
        Files.writeString(file, "x".repeat(3 * 1024 * 1024), StandardCharsets.UTF_8);

        String note = handoffs.note("alpha", "t1").orElseThrow();

        assertThat(note).startsWith("x".repeat(Handoffs.MAX_NOTE_BYTES))
                .endsWith("\n[the note goes on: " + 3 * 1024 * 1024 + " bytes, the first " + Handoffs.MAX_NOTE_BYTES + " shown]\n");
        assertThat(note.length()).isLessThan(Handoffs.MAX_NOTE_BYTES + 100);
    }

    @Test
    void givenANoteUnchangedInSizeAndTimeWhenReadAgainThenTheFileIsNotReadAgainAndAChangeIsSeen() throws Exception {
        Handoffs handoffs = new Handoffs(dir);
        Path file = handoffs.asked("alpha", "t1");
        Files.writeString(file, "first", StandardCharsets.UTF_8);
        FileTime written = Files.getLastModifiedTime(file);
        assertThat(handoffs.note("alpha", "t1")).contains("first");

        // the same size and modification time: the note read before stands
        Files.writeString(file, "other", StandardCharsets.UTF_8);
        Files.setLastModifiedTime(file, written);
        assertThat(handoffs.note("alpha", "t1")).contains("first");

        // a new size: read again
        Files.writeString(file, "second, longer", StandardCharsets.UTF_8);
        Files.setLastModifiedTime(file, written);
        assertThat(handoffs.note("alpha", "t1")).contains("second, longer");
    }

    @Test
    void givenNoNoteOrAnEmptyOneWhenTheLoopLooksThenItIsNotWritten() throws Exception {
        Handoffs handoffs = new Handoffs(dir);
        Path file = handoffs.asked("alpha", "t1");
        assertThat(handoffs.facts()).extracting(HandoffNote::written).containsExactly(false);

        Files.writeString(file, "", StandardCharsets.UTF_8);
        assertThat(handoffs.facts()).extracting(HandoffNote::written).containsExactly(false);
        assertThat(handoffs.note("alpha", "t1")).isEmpty();
    }
}
