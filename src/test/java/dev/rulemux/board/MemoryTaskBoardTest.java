package dev.rulemux.board;

import dev.rulemux.ManualClock;
import dev.rulemux.config.TaskSpecs;
import static org.assertj.core.api.Assertions.assertThat;

import dev.rulemux.domain.TaskState;
import dev.rulemux.domain.Verification;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The in-memory board (dry runs, {@code start}, {@code send}) keeps the store's rules. */
class MemoryTaskBoardTest {

    @Test
    void aRetriedTaskStartsOverWithoutTheResultsOfItsEarlierRound() {
        // given a task whose check failed on attempt 1 and that ran out of attempts
        MemoryTaskBoard board = new MemoryTaskBoard(List.of(TaskSpecs.verified("t")), Clock.systemUTC());
        board.delivered("t", "a", 100, null);
        board.move("t", TaskState.VERIFYING, null, "done");
        board.verified(new Verification("t", 1, false, 2, "broken"), 200);
        board.move("t", TaskState.FAILED, null, "out of attempts");

        // when a person retries it and it is done again
        assertThat(board.retry("t", "a person fixed the build")).isTrue();
        board.delivered("t", "a", 300, null);
        board.move("t", TaskState.VERIFYING, null, "done again");

        // then its attempts start from 1 and the failed result of the earlier attempt 1 is not this one's
        assertThat(board.records().get(0).attempts()).isEqualTo(1);
        assertThat(board.verifications()).isEmpty();
    }

    @Test
    void theTimesTheBoardRecordsAreItsClocks() {
        // given a board whose clock stands at the start of 2001 (far from the machine's time)
        ManualClock clock = new ManualClock(Instant.parse("2001-01-01T00:00:00Z"));
        long declared = clock.millis();
        MemoryTaskBoard board = new MemoryTaskBoard(List.of(TaskSpecs.task("t")), clock);

        // when a minute later the task is cancelled
        clock.advance(Duration.ofMinutes(1));
        assertThat(board.move("t", TaskState.CANCELLED, null, "not needed")).isTrue();

        // then it was declared and pending at the first reading, and changed and finished at the second
        TaskRecord t = board.record("t").orElseThrow();
        assertThat(t.createdAt()).isEqualTo(declared);
        assertThat(t.pendingSince()).isEqualTo(declared);
        assertThat(t.updatedAt()).isEqualTo(declared + 60_000);
        assertThat(t.finishedAt()).isEqualTo(declared + 60_000);
    }
}
