package dev.rulemux.sim;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rulemux.ManualClock;
import dev.rulemux.sim.SimAgentModel.State;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The simulated agent's model on a fake clock: what it does as keys arrive and time passes, no terminal, no waiting. */
class SimAgentModelTest {

    @TempDir
    Path dir;

    private final ManualClock clock = new ManualClock(Instant.parse("2026-01-01T12:00:00Z"));
    private final SimAgentModel agent = new SimAgentModel(
            new SimAgentModel.Options("tester", 200_000, Duration.ofMillis(100), Duration.ofSeconds(30), null), clock);

    private void prompt(String text) {
        text.chars().forEach(c -> agent.type((char) c));
        clock.advance(Duration.ofMillis(300));
        agent.enter(false);
        agent.tick();
    }

    private void wait(Duration d) {
        clock.advance(d);
        agent.tick();
    }

    @Test
    void givenAPromptAskingFor5sOfWorkWhenItIsSubmittedThenTheAgentWorksUntilThe5sHavePassedThenIsIdle() {
        prompt("write the parser [mock work=5s]");

        assertThat(agent.state()).isEqualTo(State.WORKING);
        assertThat(agent.draft()).isEmpty();
        wait(Duration.ofMillis(4_900));
        assertThat(agent.state()).isEqualTo(State.WORKING);
        assertThat(agent.working()).get().satisfies(w -> assertThat(w.elapsed()).isEqualTo(Duration.ofMillis(4_900)));

        wait(Duration.ofMillis(100));

        assertThat(agent.state()).isEqualTo(State.IDLE);
        assertThat(agent.working()).isEmpty();
        assertThat(agent.transcript()).containsSubsequence("» write the parser [mock work=5s]", "● Done: write the parser",
                "✻ Worked for 5s");
    }

    @Test
    void givenAnEnterArrivingWithTheTypedTextWhenItIsReadThenItIsANewlineInTheDraftNotASubmit() {
        "first line".chars().forEach(c -> agent.type((char) c));
        agent.enter(true);

        assertThat(agent.state()).isEqualTo(State.IDLE);
        assertThat(agent.draft()).isEqualTo("first line\n");
        assertThat(agent.transcript()).isEmpty();
    }

    @Test
    void givenAPasteWhenEnterComesWithinThePasteGraceThenItIsANewlineAndAfterItItSubmits() {
        "pasted [mock work=1s]".chars().forEach(c -> agent.paste((char) c));
        agent.pasteEnded();
        clock.advance(Duration.ofMillis(50));
        agent.enter(false);
        assertThat(agent.draft()).isEqualTo("pasted [mock work=1s]\n");
        assertThat(agent.draftPasted()).isTrue();

        clock.advance(Duration.ofMillis(100));
        agent.enter(false);

        assertThat(agent.state()).isEqualTo(State.WORKING);
    }

    @Test
    void givenAToolCallWhenHalfTheWorkIsDoneThenItAwaitsApprovalAndOnceApprovedFinishes() {
        prompt("run it [mock work=4s tool=shell]");
        wait(Duration.ofMillis(1_900));
        assertThat(agent.state()).isEqualTo(State.WORKING);

        wait(Duration.ofMillis(100));
        assertThat(agent.state()).isEqualTo(State.AWAITING_APPROVAL);
        assertThat(agent.approvalAsked()).contains("touch mock-tool.txt");
        wait(Duration.ofSeconds(10));
        assertThat(agent.state()).as("the dialog waits for the user, however long").isEqualTo(State.AWAITING_APPROVAL);

        agent.type('1');
        agent.tick();

        assertThat(agent.state()).isEqualTo(State.IDLE);
        assertThat(agent.transcript()).contains("● Ran touch mock-tool.txt");
    }

    @Test
    void givenAnApprovalDialogWhenTheToolCallIsDeclinedThenTheTurnEnds() {
        prompt("run it [mock work=2s tool=shell]");
        wait(Duration.ofSeconds(1));

        agent.type('2');

        assertThat(agent.state()).isEqualTo(State.IDLE);
        assertThat(agent.transcript()).contains("■ Tool call declined");
    }

    @Test
    void givenAUsageLimitWhenAPromptArrivesBeforeItResetsThenItIsRefusedAndAfterItResetsItIsTaken() {
        prompt("go [mock limit=usage fail=1]");
        assertThat(agent.state()).isEqualTo(State.IDLE);
        assertThat(agent.limitedFor()).contains(Duration.ofSeconds(30));
        assertThat(agent.transcript()).last().isEqualTo("⚠ Usage limit reached · resets 12:00:30");

        clock.advance(Duration.ofSeconds(10));
        prompt("go [mock limit=usage fail=1]");
        assertThat(agent.transcript()).last().asString().startsWith("⚠ Usage limit reached · resets in 19s");
        assertThat(agent.state()).isEqualTo(State.IDLE);

        wait(Duration.ofSeconds(20));
        assertThat(agent.limitedFor()).isEmpty();
        prompt("go [mock limit=usage fail=1]");

        assertThat(agent.state()).as("fail=1: only the first prompt hits the limit").isEqualTo(State.WORKING);
    }

    @Test
    void givenTheContextMeterWhenATurnReportsItsTokensThenTheMeterShowsThemAndCompactAndClearShrinkIt() {
        prompt("big [mock work=1s tokens=150000]");
        assertThat(agent.contextPercent()).isEqualTo(75);
        wait(Duration.ofSeconds(1));

        prompt("/compact");
        assertThat(agent.contextPercent()).isEqualTo(7);

        prompt("/clear");
        assertThat(agent.contextPercent()).isZero();
        assertThat(agent.transcript()).containsExactly("(context cleared)");
    }

    @Test
    void givenAStallingTurnWhenItsWorkTimeIsLongPastThenItStillWorksFrozenUntilInterrupted() {
        prompt("hang [mock work=1s stall]");

        wait(Duration.ofMinutes(5));
        assertThat(agent.state()).isEqualTo(State.WORKING);
        assertThat(agent.working()).get().satisfies(w -> {
            assertThat(w.stalled()).isTrue();
            assertThat(w.frame()).as("the spinner does not move").isZero();
        });

        agent.escape();

        assertThat(agent.state()).isEqualTo(State.IDLE);
        assertThat(agent.transcript()).containsSubsequence("■ Interrupted", "✻ Worked for 300s");
    }

    @Test
    void givenATurnAtWorkWhenAnotherPromptIsSubmittedThenItIsQueuedAndRunsAfterIt() {
        prompt("first [mock work=2s]");
        prompt("second [mock work=1s reply=All good.]");
        assertThat(agent.transcript()).last().isEqualTo("  ❯ second [mock work=1s reply=All good.] (queued)");

        wait(Duration.ofSeconds(2));
        assertThat(agent.state()).as("the queued prompt starts as the first ends").isEqualTo(State.WORKING);
        wait(Duration.ofSeconds(1));

        assertThat(agent.state()).isEqualTo(State.IDLE);
        assertThat(agent.transcript()).last().isEqualTo("✻ Worked for 1s");
        assertThat(agent.transcript()).contains("● All good.");
    }

    @Test
    void givenNothingToInterruptWhenCtrlCIsPressedTwiceThenTheAgentExits() {
        agent.ctrlC();
        assertThat(agent.exitArmed()).isTrue();
        assertThat(agent.exited()).isFalse();

        agent.ctrlC();

        assertThat(agent.exited()).isTrue();
    }

    @Test
    void givenALogWhenATurnRunsThenThePromptAndTheTurnsEndAreLoggedAtTheClocksTime() throws Exception {
        Path log = dir.resolve("prompts.jsonl");
        SimAgentModel logged = new SimAgentModel(
                new SimAgentModel.Options("tester", 200_000, Duration.ofMillis(100), Duration.ofSeconds(30), log), clock);
        "task [mock work=2s]".chars().forEach(c -> logged.type((char) c));
        clock.advance(Duration.ofMillis(300));
        long submitted = clock.millis();
        logged.enter(false);

        clock.advance(Duration.ofSeconds(2));
        logged.tick();

        assertThat(Files.readAllLines(log)).containsExactly(
                "{\"agent\":\"tester\",\"at\":" + submitted + ",\"prompt\":\"task [mock work=2s]\"}",
                "{\"agent\":\"tester\",\"event\":\"turn_end\",\"at\":" + (submitted + 2_000) + "}");
    }

    @Test
    void givenTheTerminalWhenAPastedPromptOfManyLinesArrivesThenTheInputBoxShowsItFoldedAndTheWorkingLineCountsSeconds() {
        SimAgent terminal = new SimAgent(agent, clock, new ByteArrayInputStream(new byte[0]), new ByteArrayOutputStream());
        terminal.handle("\u001b[200~go [mock work=5s]\n" + "line\n".repeat(7) + "\u001b[201~");
        assertThat(terminal.render()).contains("> [Pasted text #1 +9 lines]", "  ? for shortcuts · 0% context used");

        clock.advance(Duration.ofMillis(500));
        terminal.handle("\r");
        wait(Duration.ofMillis(2_500));

        assertThat(terminal.render()).contains("» go [mock work=5s] (+7 lines)", " Working… (2s · esc to interrupt)", "  esc to interrupt · ");
    }
}
