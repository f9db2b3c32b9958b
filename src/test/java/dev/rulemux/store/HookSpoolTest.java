package dev.rulemux.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rulemux.domain.HookEvent;
import dev.rulemux.domain.HookKind;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Specifies the hook spool: the agents' hook events on their way to the loop. */
class HookSpoolTest {

    @TempDir
    Path dir;

    private HookSpool spool() throws Exception {
        Files.createDirectories(dir.resolve(".rulemux"));
        return HookSpool.of(dir);
    }

    @Test
    void an_appended_event_is_read_once_in_order_and_the_file_is_owner_only() throws Exception {
        HookSpool writer = spool();
        HookSpool reader = HookSpool.of(dir);
        assertThat(reader.read(false)).isEmpty();

        writer.append("claude", "UserPromptSubmit", 1000);
        writer.append("claude", "Stop", 2000);

        assertThat(reader.read(false)).containsExactly(
                new HookEvent("claude", HookKind.PROMPT_SUBMITTED, "UserPromptSubmit", 1000),
                new HookEvent("claude", HookKind.TURN_ENDED, "Stop", 2000));
        assertThat(reader.read(false)).isEmpty();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(writer.file()))).isEqualTo("rw-------");
    }

    @Test
    void a_reader_is_told_of_an_unread_event_by_a_stat_without_reading_it() throws Exception {
        HookSpool writer = spool();
        HookSpool reader = HookSpool.of(dir);
        assertThat(reader.unread()).as("before its first read").isFalse();
        reader.read(false);
        assertThat(reader.unread()).as("no file yet").isFalse();

        writer.append("gemini", "AfterAgent", 1000);

        assertThat(reader.unread()).isTrue();
        assertThat(reader.read(false)).hasSize(1);
        assertThat(reader.unread()).isFalse();
    }

    @Test
    void a_spool_grown_past_its_bound_is_rotated_once_read_and_no_event_is_lost_on_the_way() throws Exception {
        HookSpool writer = spool();
        HookSpool reader = HookSpool.of(dir);
        reader.read(false);
        int n = 0;
        int read = 0;
        long written = 0;
        while (written < HookSpool.ROTATE_AT) { // as the hooks append them, read at every tick
            StringBuilder lines = new StringBuilder();
            for (int i = 0; i < 3_000; i++) {
                lines.append(1_000_000 + n++).append(" claude Stop\n");
            }
            Files.writeString(writer.file(), lines, java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
            written += lines.length();
            read += reader.read(false).size();
        }

        assertThat(read).isEqualTo(n);

        assertThat(writer.file()).doesNotExist();
        assertThat(reader.rotated()).exists();
        // a hook that opened the spool just before the rename writes to the old file
        Files.writeString(reader.rotated(), "5000000 claude UserPromptSubmit\n", java.nio.file.StandardOpenOption.APPEND);
        writer.append("claude", "Stop", 5_000_001);
        assertThat(reader.unread()).isTrue();
        assertThat(reader.read(false)).extracting(HookEvent::atMs).containsExactly(5_000_000L, 5_000_001L);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(writer.file()))).isEqualTo("rw-------");
        assertThat(reader.read(false)).isEmpty();
    }

    @Test
    void a_reader_starting_late_skips_what_an_earlier_run_left_unless_told_to_read_from_the_start() throws Exception {
        HookSpool writer = spool();
        writer.append("codex", "agent-turn-complete", 1000);

        assertThat(HookSpool.of(dir).read(false)).isEmpty();
        assertThat(HookSpool.of(dir).read(true)).extracting(HookEvent::kind).containsExactly(HookKind.TURN_ENDED);
    }

    @Test
    void lines_that_rulemux_did_not_write_are_skipped_and_a_partial_line_waits() throws Exception {
        HookSpool writer = spool();
        HookSpool reader = HookSpool.of(dir);
        reader.read(false);
        Files.writeString(writer.file(), "garbage\n12 claude Bogus\n12 bad$name Stop\n-3 claude Stop\n"
                + "1" + "0".repeat(300) + " claude Stop\n5 claude Sto", StandardCharsets.US_ASCII, StandardOpenOption.CREATE,
                StandardOpenOption.APPEND);
        assertThat(reader.read(false)).isEmpty();

        Files.writeString(writer.file(), "p\n", StandardOpenOption.APPEND);
        assertThat(reader.read(false)).containsExactly(new HookEvent("claude", HookKind.TURN_ENDED, "Stop", 5));
    }

    @Test
    void names_that_could_forge_a_line_are_refused() throws Exception {
        HookSpool writer = spool();
        assertThatThrownBy(() -> writer.append("claude\n1 other", "Stop", 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> writer.append("claude", "Stop now", 1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void a_team_that_never_ran_has_no_state_folder_and_gets_no_spool() {
        assertThatThrownBy(() -> HookSpool.of(dir).append("claude", "Stop", 1)).hasMessageContaining("no state folder");
        assertThat(Files.exists(dir.resolve(".rulemux"))).isFalse();
    }
}
