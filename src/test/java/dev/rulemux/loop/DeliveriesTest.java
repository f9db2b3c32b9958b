package dev.rulemux.loop;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rulemux.board.MemoryTaskBoard;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What rulemux remembers of what it typed into each agent: here, whether a restart has a conversation to resume. */
class DeliveriesTest {

    @Test
    void givenAnAgentGivenNoPrompt_thenARestartHasNothingToResume_andOnceGivenOneItHas_untilItIsRestarted() {
        MemoryTaskBoard board = new MemoryTaskBoard(List.of(dev.rulemux.config.TaskSpecs.task("t1")), java.time.Clock.systemUTC());
        Deliveries deliveries = new Deliveries(board);
        assertThat(deliveries.typedSinceStart("claude")).isFalse();

        deliveries.delivered("claude", "t1", 1_000);
        assertThat(deliveries.typedSinceStart("claude")).isTrue();

        deliveries.restarted("claude", 2_000);
        assertThat(deliveries.typedSinceStart("claude")).as("a fresh CLI after the restart").isFalse();
    }
}
