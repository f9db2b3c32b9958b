package dev.rulemux.board;

import dev.rulemux.config.TaskSpecs;
import static org.assertj.core.api.Assertions.assertThat;

import dev.rulemux.domain.TaskState;
import dev.rulemux.domain.Verification;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The in-memory board (dry runs, {@code start}, {@code send}) keeps the store's rules. */
class MemoryTaskBoardTest {

    @Test
    void aRetriedTaskStartsOverWithoutTheResultsOfItsEarlierRound() {
        // given a task whose check failed on attempt 1 and that ran out of attempts
        MemoryTaskBoard board = new MemoryTaskBoard(List.of(TaskSpecs.verified("t")));
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
}
