package dev.rulemux.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rulemux.board.Journal;
import dev.rulemux.domain.Status;
import dev.rulemux.store.StateStore;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** rulemux watch's refreshes: in place on the alternate screen, or one plain frame. */
class WatchTest {

    @TempDir
    Path dir;

    StateStore store;
    final long now = System.currentTimeMillis();
    final Clock fixed = Clock.fixed(Instant.ofEpochMilli(now), ZoneOffset.UTC);
    final TerminalDashboard dashboard = new TerminalDashboard("/teams/web", false, ZoneOffset.UTC);
    final StringWriter out = new StringWriter();
    final List<Long> pauses = new ArrayList<>();

    @BeforeEach
    void aBuilderAtWork() {
        store = StateStore.open(dir);
        builder(Status.WORKING, "a working marker", now - 3_000);
    }

    @AfterEach
    void closeTheStore() {
        store.close();
    }

    void builder(Status status, String reason, long updatedAt) {
        store.agent(new Journal.AgentState("builder", status, reason, null, 40, now - 60_000, updatedAt, List.of()));
    }

    Watch watch(Watch.Pause pause) {
        return new Watch(store, List.of("builder"), dashboard, fixed, () -> new TerminalSize.Size(80, 12), ms -> {
            pauses.add(ms);
            pause.pause(ms);
        });
    }

    /** The frames drawn: what follows each cursor-home, up to the clear-below. */
    List<String> frames() {
        String[] parts = out.toString().split("\u001b\\[H", -1);
        return Arrays.stream(parts).skip(1).map(p -> p.substring(0, p.indexOf(TerminalScreen.CLEAR_BELOW))).toList();
    }

    @Test
    void inPlaceItTakesTheAlternateScreenDrawsEachFrameFromTheTopAndGivesTheScreenBack() {
        // given a store that changes between refreshes
        Watch watch = watch(ms -> builder(Status.IDLE, "an empty input box", now - 1_000));

        // when it refreshes twice, a second apart
        watch.run(new PrintWriter(out), new Watch.Settings(true, 2, 1000));

        // then
        String text = out.toString();
        assertThat(text).startsWith(TerminalScreen.ENTER + TerminalScreen.HOME).endsWith(TerminalScreen.CLEAR_BELOW + TerminalScreen.LEAVE);
        assertThat(TerminalScreen.ENTER).isEqualTo("\u001b[?1049h\u001b[?25l");
        assertThat(TerminalScreen.LEAVE).isEqualTo("\u001b[?25h\u001b[?1049l");
        assertThat(pauses).containsExactly(1000L);
        assertThat(frames()).hasSize(2);
        assertThat(frames().get(0)).contains("builder  WORKING").doesNotContain("IDLE");
        assertThat(frames().get(1)).as("the store's new state on the next frame").contains("builder  IDLE").doesNotContain("WORKING");
        List<String> lines = List.of(frames().get(1).split("\r\n", -1));
        assertThat(lines).hasSize(8);
        assertThat(lines.get(0)).as("the header fills the 80 columns").hasSize(80).doesNotContain(TerminalScreen.CLEAR_LINE);
        assertThat(lines.subList(1, 8)).allSatisfy(l -> assertThat(l).endsWith(TerminalScreen.CLEAR_LINE));
    }

    @Test
    void aRefreshWhenNothingChangedSendsNothing() {
        // given a store nobody writes and a clock that stands still
        Watch watch = watch(ms -> { });

        // when it refreshes three times
        watch.run(new PrintWriter(out), new Watch.Settings(true, 3, 1000));

        // then only the first frame was sent
        assertThat(pauses).hasSize(2);
        assertThat(frames()).hasSize(1);
    }

    @Test
    void anInterruptStopsItAndGivesTheScreenBack() {
        // given
        Watch watch = watch(ms -> {
            throw new InterruptedException();
        });

        // when it would refresh until interrupted
        watch.run(new PrintWriter(out), new Watch.Settings(true, 0, 1000));

        // then
        assertThat(Thread.interrupted()).as("the interrupt kept").isTrue();
        assertThat(frames()).hasSize(1);
        assertThat(out.toString()).endsWith(TerminalScreen.LEAVE);
    }

    @Test
    void notInPlaceItPrintsOneFrameWithoutEscapeCodes() {
        // given
        Watch watch = watch(ms -> builder(Status.IDLE, "an empty input box", now - 1_000));

        // when
        watch.run(new PrintWriter(out), new Watch.Settings(false, 5, 1000));

        // then
        assertThat(pauses).isEmpty();
        assertThat(out.toString()).doesNotContain("\u001b").startsWith("rulemux  loop running  /teams/web")
                .contains("builder  WORKING  -     ██░░░  40%  1m00s  a working marker\n");
        assertThat(out.toString().lines()).hasSizeLessThanOrEqualTo(12);
    }

    @Test
    void aFullWidthLineIsNotFollowedByClearToEndOfLineAndTheLastLineByNoNewline() {
        assertThat(TerminalScreen.frame(List.of("abc", "12345", "\u001b[32mok\u001b[0m"), 5))
                .isEqualTo("\u001b[Habc\u001b[K\r\n12345\r\n\u001b[32mok\u001b[0m\u001b[K\u001b[J");
    }

    @Test
    void theSizeIsColumnsAndLinesWhenSet() {
        assertThat(new TerminalSize(Map.of("COLUMNS", "132", "LINES", "43")::get).get()).isEqualTo(new TerminalSize.Size(132, 43));
        assertThat(new TerminalSize(Map.of("COLUMNS", "0", "LINES", "x")::get).get())
                .as("else stty's or 80x24").satisfies(s -> assertThat(s.columns()).isPositive(),
                        s -> assertThat(s.rows()).isPositive());
    }
}
