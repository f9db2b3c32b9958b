package dev.rulemux.loop;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rulemux.board.MemoryTaskBoard;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What rulemux remembers of what it typed into each agent: whether a restart has a conversation to resume, and a turn
 * over on screen since a prompt was delivered.
 */
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

    private static dev.rulemux.screen.Observation turns(String agent, String... lines) {
        return new dev.rulemux.screen.Observation(agent, List.of(), java.util.Optional.empty(), java.util.Optional.empty(),
                List.of(), List.of(), List.of(lines));
    }

    private static MemoryTaskBoard board() {
        return new MemoryTaskBoard(List.of(dev.rulemux.config.TaskSpecs.task("t1")), java.time.Clock.systemUTC());
    }

    @Test
    void givenTheTurnLinesOnScreenWhenAPromptWasDelivered_whenOneComesBelowThem_thenItIsATurnOverOnScreenSinceThen() {
        MemoryTaskBoard board = board();
        Deliveries deliveries = new Deliveries(board);
        deliveries.observed("gemini", turns("gemini", "✦ a", "✦ b"), null, board.records(), 1_000);
        deliveries.delivered("gemini", "t1", 1_100);

        deliveries.observed("gemini", turns("gemini", "✦ b"), null, board.records(), 1_350); // scrolled for the paste
        assertThat(deliveries.turnsOnScreen(board.records())).as("a screen that only scrolled").isEmpty();

        deliveries.observed("gemini", turns("gemini", "✦ b", "✦ c"), null, board.records(), 1_600);
        deliveries.observed("gemini", turns("gemini", "✦ c"), null, board.records(), 1_850);

        assertThat(deliveries.turnsOnScreen(board.records()))
                .containsExactly(new dev.rulemux.domain.TurnOnScreen("gemini", "t1", 1_600, "✦ c"));
    }

    @Test
    void givenAPromptDeliveredBeforeItsAgentsScreenWasEverSeen_thenNoTurnIsTakenAsOverOnScreen() {
        MemoryTaskBoard board = board();
        Deliveries deliveries = new Deliveries(board);
        deliveries.delivered("gemini", "t1", 1_100);

        deliveries.observed("gemini", turns("gemini", "✦ a"), null, board.records(), 1_600);

        assertThat(deliveries.turnsOnScreen(board.records())).isEmpty();
    }

    @Test
    void givenATurnOverOnScreen_whenTheTaskIsNoLongerInFlight_thenItIsForgotten() {
        MemoryTaskBoard board = board();
        Deliveries deliveries = new Deliveries(board);
        deliveries.observed("gemini", turns("gemini"), null, board.records(), 1_000);
        deliveries.delivered("gemini", "t1", 1_100);
        deliveries.observed("gemini", turns("gemini", "✦ a"), null, board.records(), 1_600);
        assertThat(deliveries.turnsOnScreen(board.records())).hasSize(1);

        board.move("t1", dev.rulemux.domain.TaskState.COMPLETED, "gemini", "done");

        assertThat(deliveries.turnsOnScreen(board.records())).isEmpty();
    }

    @Test
    void givenAPromptBeingTyped_whenTheCliReportsTheTurnBeforeEndedOnlyNow_thenThatIsNotTheTasksTurnEnd() {
        // Codex runs its notify program after it has drawn the turn's end: rulemux may have seen that on screen, ended
        // the task and begun typing the next prompt before the hook's line is written
        MemoryTaskBoard board = board();
        Deliveries deliveries = new Deliveries(board);
        deliveries.delivered("codex", "t1", 1_000);
        dev.rulemux.domain.HookEvent late = new dev.rulemux.domain.HookEvent("codex", dev.rulemux.domain.HookKind.TURN_ENDED,
                "agent-turn-complete", 1_010);

        deliveries.hooked(late, board.records());

        assertThat(board.record("t1").orElseThrow().delivery().seenWorking()).isFalse();
        assertThat(deliveries.facts(board.records(), 1_040)).singleElement()
                .satisfies(d -> assertThat(d.sentAtMs()).as("sent: the present, while typed").isEqualTo(1_040));
    }

    @Test
    void givenAPromptSubmitted_thenItCountsAsSentWhenItsKeysWerePressed_andOnlyATurnEndAfterThatIsItsOwn() {
        MemoryTaskBoard board = board();
        Deliveries deliveries = new Deliveries(board);
        deliveries.delivered("codex", "t1", 1_000);
        deliveries.submitted("codex", "t1", 1_040);

        deliveries.hooked(new dev.rulemux.domain.HookEvent("codex", dev.rulemux.domain.HookKind.TURN_ENDED,
                "agent-turn-complete", 1_020), board.records());
        assertThat(board.record("t1").orElseThrow().delivery().seenWorking()).as("a turn end before the Enter").isFalse();
        assertThat(deliveries.facts(board.records(), 2_000)).singleElement()
                .satisfies(d -> assertThat(d.sentAtMs()).isEqualTo(1_040))
                .satisfies(d -> assertThat(d.lastKeysAtMs()).isEqualTo(1_040));

        deliveries.hooked(new dev.rulemux.domain.HookEvent("codex", dev.rulemux.domain.HookKind.TURN_ENDED,
                "agent-turn-complete", 1_900), board.records());
        assertThat(board.record("t1").orElseThrow().delivery().seenWorking()).isTrue();
    }
}
