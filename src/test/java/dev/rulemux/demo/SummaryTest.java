package dev.rulemux.demo;

import dev.rulemux.config.TaskSpecs;
import static org.assertj.core.api.Assertions.assertThat;

import dev.rulemux.config.TaskSpec;
import dev.rulemux.domain.TaskState;
import dev.rulemux.board.Journal;
import dev.rulemux.board.Journal.Kind;
import dev.rulemux.board.MemoryTaskBoard;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SummaryTest {

    private final List<Journal.Event> events = new ArrayList<>();

    private void event(long at, Kind kind, String agent, String task, String detail) {
        events.add(new Journal.Event(events.size() + 1, at, kind, agent, task, detail));
    }

    private static TaskSpec task(String id) {
        return TaskSpecs.task(id);
    }

    @Test
    void eachTaskLineSaysWhatRulemuxDidForItIncludingTheTasklessActionsOfItsAgent() {
        // given a run in which a dialog of tester (an action with no task) came up while it worked on lint,
        // hang was nudged, then interrupted and sent again in one tick, and big was handed over
        MemoryTaskBoard board = new MemoryTaskBoard(List.of(task("lint"), task("hang"), task("big"), task("never")), java.time.Clock.systemUTC());
        event(1_000, Kind.DISPATCH, "tester", "lint", "sent lint to tester (200 chars): tester is idle");
        event(1_500, Kind.ACTION, "tester", null, "answered a dialog of tester with Enter: tester asks for approval and its approvals are auto");
        event(2_000, Kind.DISPATCH, "tester", "hang", "sent hang to tester (200 chars): tester is idle");
        event(6_000, Kind.ACTION, "tester", "hang", "nudged tester: tester is stuck on hang");
        event(10_000, Kind.TRANSITION, "tester", "hang", "hang IN_PROGRESS -> PENDING (for tester): tester was stuck: hang is sent to it again");
        event(10_001, Kind.ACTION, "tester", "hang", "interrupted tester: tester is still stuck on hang after a reminder");
        event(3_000, Kind.ACTION, "architect", "big", "asked architect to write its handoff note /x/handoff/architect-big.md: 92%");
        event(4_000, Kind.ACTION, "architect", "big", "handed big over to builder and cleared architect (/clear): note written");
        board.delivered("lint", "tester", 1_000, null);
        board.move("lint", TaskState.COMPLETED, "tester", "done");

        // when
        Summary s = Summary.of(Duration.ofSeconds(30), board.records(), events, List.of());

        // then
        assertThat(s.tasks()).extracting(Summary.TaskLine::id).containsExactly("lint", "hang", "big", "never");
        assertThat(s.tasks().get(0).happened()).containsExactly("approval answered");
        assertThat(s.tasks().get(1).happened()).containsExactly("hung: nudged", "interrupted", "sent again");
        assertThat(s.tasks().get(2).happened()).containsExactly("architect's context filled: handoff note", "handed over to builder");
        assertThat(s.tasks().get(3).happened()).isEmpty();
        assertThat(s.green()).as("three tasks are not completed").isFalse();
        assertThat(s.completed()).isEqualTo(1);
    }
}
