package dev.rulemux.rules;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rulemux.domain.TaskState;
import dev.rulemux.domain.TaskTransition;
import java.util.List;
import org.junit.jupiter.api.Test;

class DecisionTest {

    @Test
    void givenTheSameTransitionConcludedTwiceInOneTick_thenTheDecisionHoldsItOnce() {
        TaskTransition atWork = new TaskTransition("t1", TaskState.IN_PROGRESS, "claude is at work on it");
        TaskTransition done = new TaskTransition("t2", TaskState.COMPLETED, "codex is idle again");

        Decision decision = new Decision(List.of(), List.of(), List.of(), List.of(atWork, done, atWork), List.of());

        assertThat(decision.transitions()).containsExactly(atWork, done);
    }
}
