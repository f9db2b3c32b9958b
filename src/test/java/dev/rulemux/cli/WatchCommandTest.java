package dev.rulemux.cli;

import static dev.rulemux.ConfigDirs.TWO_SHELLS;
import static dev.rulemux.ConfigDirs.write;
import static org.assertj.core.api.Assertions.assertThat;

import dev.rulemux.App;
import dev.rulemux.board.Journal;
import dev.rulemux.domain.Status;
import dev.rulemux.store.StateStore;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** rulemux watch, run in-process. */
class WatchCommandTest {

    static final String ENTER = "\u001b[?1049h\u001b[?25l";
    static final String LEAVE = "\u001b[?25h\u001b[?1049l";
    static final String HOME = "\u001b[H";

    @TempDir
    Path dir;

    String config;
    final long now = System.currentTimeMillis();

    @BeforeEach
    void aConfigDirectoryWithAlphaAtWork() {
        write(dir, "agents.yaml", TWO_SHELLS); // alpha, beta
        config = dir.toString();
        try (StateStore store = StateStore.open(dir)) {
            store.agent(new Journal.AgentState("alpha", Status.WORKING, "a working marker", null, 42, now - 65_000, now - 1_000,
                    List.of()));
        }
    }

    /** An app on a terminal of 100 x 30, with {@code env} too, whose clock moves a second each time it is read. */
    static App app(Map<String, String> env) {
        Map<String, String> all = new HashMap<>(Map.of("COLUMNS", "100", "LINES", "30"));
        all.putAll(env);
        return new App(new SteppingClock(Instant.now(), Duration.ofSeconds(1)), all);
    }

    @Test
    void onceItPrintsOneFrameWithoutEscapeCodesAndExitsZero() {
        // when
        Cli r = Cli.run(app(Map.of()), "watch", "--once", "--config", config);

        // then
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).doesNotContain("\u001b")
                .startsWith("rulemux  loop running  " + dir.toAbsolutePath().normalize())
                .contains("""

                        AGENT  STATUS   TASK  CONTEXT     SINCE       WHY
                        alpha  WORKING  -     ██░░░  42%  1m05s       a working marker
                        beta   unknown  -     -           never seen

                        TASKS  none yet

                        EVENTS  none yet
                        """);
        assertThat(r.out().lines()).hasSize(9).allSatisfy(l -> assertThat(l.length()).isLessThanOrEqualTo(100));
    }

    @Test
    void onATerminalItRedrawsInPlaceOnTheAlternateScreenAndGivesTheScreenBack() {
        // when three refreshes, in terminal mode
        Cli r = Cli.run(app(Map.of()), "watch", "--terminal", "--frames", "3", "--interval-ms", "100", "--config", config);

        // then
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).startsWith(ENTER + HOME).endsWith("\u001b[J" + LEAVE);
        assertThat(r.out().split("\u001b\\[H", -1)).as("a cursor-home per frame").hasSize(4);
        assertThat(r.out()).as("coloured").contains("\u001b[32mWORKING\u001b[0m");
    }

    @Test
    void noColorAndNoColourOptionLeaveTheColoursOut() {
        Cli option = Cli.run(app(Map.of()), "watch", "--terminal", "--frames", "1", "--no-color", "--config", config);
        Cli env = Cli.run(app(Map.of("NO_COLOR", "1")), "watch", "--terminal", "--frames", "1", "--config", config);

        assertThat(List.of(option, env)).allSatisfy(r -> {
            assertThat(r.exit()).as(r.err()).isZero();
            assertThat(r.out()).startsWith(ENTER).contains("alpha  WORKING").doesNotContainPattern("\u001b\\[[0-9;]*m");
        });
    }

    @Test
    void aDirectoryWithoutAgentsYamlIsRefusedAsByStatus() {
        // when
        Cli r = Cli.run(app(Map.of()), "watch", "--once", "--config", dir.resolve("nowhere").toString());

        // then
        assertThat(r.exit()).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(r.err()).startsWith("error: ").contains("is not a rulemux config directory");
        assertThat(r.out()).isEmpty();
    }

    @Test
    void anIntervalUnderATenthOfASecondIsRefused() {
        Cli r = Cli.run(app(Map.of()), "watch", "--interval-ms", "10", "--config", config);

        assertThat(r.exit()).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(r.err()).isEqualTo("error: --interval-ms must be at least 100, not 10\n");
    }

    /** A clock that moves {@code step} each time it is read. */
    private static final class SteppingClock extends Clock {

        private final Instant start;
        private final Duration step;
        private final AtomicLong reads = new AtomicLong();

        SteppingClock(Instant start, Duration step) {
            this.start = start;
            this.step = step;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return start.plus(step.multipliedBy(reads.getAndIncrement()));
        }
    }
}
