package dev.rulemux.dashboard;

import dev.rulemux.config.TaskSpecs;
import static org.assertj.core.api.Assertions.assertThat;

import dev.rulemux.config.TaskSpec;
import dev.rulemux.domain.Status;
import dev.rulemux.domain.TaskState;
import dev.rulemux.board.Journal;
import dev.rulemux.store.StateStore;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The frame of rulemux watch, rendered from a hand-built state database. */
class TerminalDashboardTest {

    static final List<String> DECLARED = List.of("architect", "builder", "tester");

    @TempDir
    Path dir;

    StateStore store;
    final long now = System.currentTimeMillis();
    final TerminalDashboard plain = new TerminalDashboard("/teams/web", false, ZoneOffset.UTC);
    final TerminalDashboard coloured = new TerminalDashboard("/teams/web", true, ZoneOffset.UTC);

    @BeforeEach
    void openTheStore() {
        store = StateStore.open(dir);
    }

    @AfterEach
    void closeTheStore() {
        store.close();
    }

    private static TaskSpec task(String id) {
        return TaskSpecs.task(id);
    }

    /**
     * Four tasks (api in progress on the architect, docs completed, lint blocked, tests pending); the architect
     * working on api for 2m05s with 62% of its context used, the tester idle for 12 s, both recorded by a loop
     * {@code ageMs} ago; the builder never seen.
     */
    void aTeamRecorded(long ageMs) {
        store.declare(List.of(task("api"), task("docs"), task("lint"), task("tests")));
        store.delivered("docs", "builder", now - 300_000, null);
        store.move("docs", TaskState.COMPLETED, null, "builder reported it done");
        store.delivered("api", "architect", now - 125_000, null);
        store.move("api", TaskState.IN_PROGRESS, null, "architect is at work on it");
        store.move("lint", TaskState.BLOCKED, null, "reported blocked: no linter");
        store.agent(new Journal.AgentState("architect", Status.WORKING, "a working marker", "api", 62, now - 125_000,
                now - ageMs, List.of("✻ Working… (esc to interrupt)")));
        store.agent(new Journal.AgentState("tester", Status.IDLE, "an empty input box", null, null, now - 12_000, now - ageMs,
                List.of("> ")));
    }

    List<String> frame(TerminalDashboard dashboard, int width, int height) {
        return dashboard.frame(TeamView.read(store, DECLARED, height, now), width, height, now);
    }

    /** The frame with its clock times as HH:MM:SS (they are the test's wall clock). */
    static String masked(List<String> frame) {
        return String.join("\n", frame).replaceAll("(\\d{4}-\\d\\d-\\d\\d )?\\d\\d:\\d\\d:\\d\\d", "HH:MM:SS") + "\n";
    }

    @Test
    void aRunningLoopsTeamShowsEachAgentsStatusTaskContextAndSinceThenTheTaskCountsThenTheEvents() {
        // given a team a loop recorded 2 s ago
        aTeamRecorded(2_000);

        // when a 120 x 30 terminal shows it
        List<String> frame = frame(plain, 120, 30);

        // then
        assertThat(masked(frame)).isEqualTo("""
                rulemux  loop running  /teams/web                                                                               HH:MM:SS

                AGENT      STATUS   TASK  CONTEXT     SINCE       WHY
                architect  WORKING  api   ███░░  62%  2m05s       a working marker
                builder    unknown  -     -           never seen
                tester     IDLE     -     -           12s         an empty input box

                TASKS  done 1/4  pending 1  assigned 0  in progress 1  verifying 0  completed 1  failed 0  blocked 1  cancelled 0

                TIME      KIND  AGENT  TASK   DETAIL
                HH:MM:SS  INFO  -      api    declared api (tasks.yaml)
                HH:MM:SS  INFO  -      docs   declared docs (tasks.yaml)
                HH:MM:SS  INFO  -      lint   declared lint (tasks.yaml)
                HH:MM:SS  INFO  -      tests  declared tests (tasks.yaml)
                """);
        assertThat(frame.get(0)).hasSize(120);
        assertThat(frame).hasSizeLessThanOrEqualTo(30);
    }

    @Test
    void givenAgentsOnOtherHosts_thenEachIsShownAsNameAtHost_andOneWhoseHostIsDownWithItsReason() {
        aTeamRecorded(1_000);
        store.agent(new Journal.AgentState("tester", Status.UNKNOWN, "its host gpu-box is down: Connection refused", null, null,
                now - 5_000, now - 1_000, List.of()));

        List<String> frame = plain.frame(TeamView.read(store, DECLARED, java.util.Map.of("tester", "gpu-box", "builder", "lab"),
                30, now), 120, 30, now);

        assertThat(String.join("\n", frame)).containsPattern("architect +WORKING").containsPattern("builder@lab +unknown")
                .containsPattern("tester@gpu-box +UNKNOWN");
    }

    @Test
    void withoutALoopTheHeaderSaysWhenOneLastRecordedTheTeamAndHowLongAgo() {
        // given a team last recorded 2m05s ago
        aTeamRecorded(125_000);

        // when
        String header = frame(plain, 120, 30).get(0);

        // then
        assertThat(header).matches("rulemux  no loop running — last recorded \\d\\d:\\d\\d:\\d\\d, 2m05s ago  /teams/web +"
                + "\\d\\d:\\d\\d:\\d\\d");
    }

    @Test
    void aFreshStateDatabaseSaysToStartALoopAndShowsTheDeclaredAgentsAsUnknown() {
        // given nothing recorded yet

        // when
        List<String> frame = frame(plain, 80, 24);

        // then
        assertThat(masked(frame)).isEqualTo("""
                rulemux  no loop has run yet: start `rulemux run`  /teams/web           HH:MM:SS

                AGENT      STATUS   TASK  CONTEXT  SINCE       WHY
                architect  unknown  -     -        never seen
                builder    unknown  -     -        never seen
                tester     unknown  -     -        never seen

                TASKS  none yet

                EVENTS  none yet
                """);
    }

    @Test
    void aLongConfigDirectoryIsCutToKeepTheClockTimeInTheHeader() {
        // given
        TerminalDashboard deep = new TerminalDashboard("/home/someone/projects/a-long-name/team", false, ZoneOffset.UTC);

        // when
        String header = deep.frame(TeamView.read(store, DECLARED, 24, now), 64, 24, now).get(0);

        // then
        assertThat(header).matches("rulemux  no loop has run yet: start `rulemux run`  /ho  \\d\\d:\\d\\d:\\d\\d");
        assertThat(deep.frame(TeamView.read(store, DECLARED, 24, now), 29, 24, now).get(0)).as("too narrow for the time")
                .isEqualTo("rulemux  no loop has run yet:");
    }

    @Test
    void theTaskCountsGoOnTheNextLineWhenTheTerminalIsNarrow() {
        // given
        aTeamRecorded(2_000);

        // when
        List<String> frame = frame(plain, 60, 30);

        // then
        assertThat(frame.subList(7, 10)).containsExactly(
                "TASKS  done 1/4  pending 1  assigned 0  in progress 1",
                "       verifying 0  completed 1  failed 0  blocked 1",
                "       cancelled 0");
    }

    @Test
    void theNewestEventsFillTheRestOfTheHeightNewestLast() {
        // given a team and 50 more events
        aTeamRecorded(2_000);
        for (int i = 1; i <= 50; i++) {
            store.event(Journal.Kind.ACTION, "tester", "tests", "event " + i);
        }

        // when a terminal 20 rows high shows it
        List<String> frame = frame(plain, 120, 20);

        // then the events take the 10 rows left below the header, the agents, the counts and the column names
        assertThat(frame).hasSize(20);
        assertThat(frame.get(9)).isEqualTo("TIME      KIND    AGENT   TASK   DETAIL");
        assertThat(frame.subList(10, 20)).allSatisfy(l -> assertThat(l).matches("\\d\\d:\\d\\d:\\d\\d  ACTION  tester  tests  event \\d+"))
                .extracting(l -> l.substring(l.lastIndexOf(' ') + 1))
                .containsExactly("41", "42", "43", "44", "45", "46", "47", "48", "49", "50");
    }

    @Test
    void noLineIsWiderThanTheTerminalNotEvenWithWideGlyphsAndNothingWraps() {
        // given reasons and details with wide glyphs, line breaks and tabs
        aTeamRecorded(2_000);
        store.agent(new Journal.AgentState("builder", Status.STUCK, "✻ 計画中… no change for 5m ●\nsecond line\tand a tab",
                "api", 97, now - 400_000, now - 1_000, List.of()));
        store.event(Journal.Kind.ALERT, "builder", "api", "依頼を確認してください ✻ ".repeat(10) + "\n\u001b[31mred\u001b[0m");

        for (int width : new int[] {40, 17, 1}) {
            // when
            List<String> frame = frame(plain, width, 12);

            // then
            assertThat(frame).as("width %d", width).hasSizeLessThanOrEqualTo(12)
                    .allSatisfy(l -> assertThat(l.codePointCount(0, l.length())).isLessThanOrEqualTo(width))
                    .allSatisfy(l -> assertThat(Cells.width(l)).isLessThanOrEqualTo(width))
                    .noneMatch(l -> l.contains("\n") || l.contains("\t") || l.contains("\u001b"));
        }
        List<String> narrow = frame(plain, 40, 12);
        assertThat(narrow.get(4)).as("the builder's row, cut").startsWith("builder    STUCK")
                .satisfies(l -> assertThat(Cells.width(l)).isBetween(39, 40));
    }

    @Test
    void colouredFramesColourTheStatusesButTakeNoMoreCells() {
        // given
        aTeamRecorded(2_000);

        // when
        List<String> frame = frame(coloured, 60, 30);

        // then
        assertThat(frame.get(3)).contains("\u001b[32mWORKING\u001b[0m");
        assertThat(frame.get(5)).contains("\u001b[36mIDLE\u001b[0m");
        assertThat(frame).allSatisfy(l -> assertThat(Cells.visibleWidth(l)).isLessThanOrEqualTo(60));
        assertThat(String.join("\n", frame).replaceAll("\u001b\\[[0-9;]*m", "")).isEqualTo(String.join("\n", frame(plain, 60, 30)));
    }

    @Test
    void aPlainFrameHasNoEscapeCodes() {
        // given
        aTeamRecorded(125_000);
        store.event(Journal.Kind.ALERT, "tester", null, "tester asks for approval");

        // when
        List<String> frame = frame(plain, 100, 30);

        // then
        assertThat(frame).noneMatch(l -> l.contains("\u001b"));
    }

    @Test
    void agesAreShortAndContextIsABarOfFiveCells() {
        assertThat(TerminalDashboard.age(45_999)).isEqualTo("45s");
        assertThat(TerminalDashboard.age(125_000)).isEqualTo("2m05s");
        assertThat(TerminalDashboard.age(3 * 3_600_000 + 20 * 60_000)).isEqualTo("3h20m");
        assertThat(TerminalDashboard.age(2 * 86_400_000 + 4 * 3_600_000)).isEqualTo("2d04h");
        assertThat(TerminalDashboard.context(62)).isEqualTo("███░░  62%");
        assertThat(TerminalDashboard.context(0)).isEqualTo("░░░░░   0%");
        assertThat(TerminalDashboard.context(100)).isEqualTo("█████ 100%");
        assertThat(TerminalDashboard.context(null)).isEqualTo("-");
    }
}
