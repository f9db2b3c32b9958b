package dev.rulemux.loop;

import dev.rulemux.board.MemoryTaskBoard;
import dev.rulemux.board.TaskRecord;
import dev.rulemux.board.TaskRecords;
import dev.rulemux.config.AgentSpec;
import dev.rulemux.config.Config;
import dev.rulemux.config.Profile;
import dev.rulemux.domain.Action;
import dev.rulemux.domain.ActionType;
import dev.rulemux.domain.PaneSnapshot;
import dev.rulemux.domain.Priority;
import dev.rulemux.domain.Status;
import dev.rulemux.rules.PolicyEngine;
import dev.rulemux.screen.Observation;
import dev.rulemux.terminal.Pane;
import dev.rulemux.terminal.Terminal;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * {@code rulemux send}: one prompt into one agent with the loop's delivery. The text is pasted through a
 * buffer, the submit keys pressed when the profile says ({@link Typist}), then the screen is watched and the policy
 * decides, exactly as in a run, whether Enter must be pressed again. The text is never typed twice.
 */
public final class ManualSend {

    /** The pseudo-task a manual prompt is tracked as. */
    public static final String TASK = "send";

    /** How a manual send ended. */
    public enum Outcome {
        /** The agent was seen at work on it. */
        SUBMITTED,
        /** The input box is empty again and the agent idle: taken (a quick turn, or a slash command). */
        TAKEN,
        /** The policy gave up pressing Enter (its alert says why). */
        UNSUBMITTED,
        /** Nothing conclusive before the timeout. */
        UNKNOWN
    }

    /**
     * What happened, with the number of times the submit keys were pressed and how long after the paste they were
     * pressed first.
     */
    public record Result(Outcome outcome, int enterPresses, String detail, long pasteToKeysMs) {
    }

    private final Config config;
    private final PolicyEngine policy;
    private final Terminal terminal;
    private final Clock clock;
    private final Sleeper sleeper;

    /** A send whose waits (the submit delay, between two looks at the screen) are real sleeps. */
    public ManualSend(Config config, PolicyEngine policy, Terminal terminal, Clock clock) {
        this(config, policy, terminal, clock, Sleeper.REAL);
    }

    public ManualSend(Config config, PolicyEngine policy, Terminal terminal, Clock clock, Sleeper sleeper) {
        this.config = config;
        this.policy = policy;
        this.terminal = terminal;
        this.clock = clock;
        this.sleeper = sleeper;
    }

    public Result send(AgentSpec agent, Pane pane, String text, Duration watchFor) {
        Profile profile = config.profileOf(agent);
        String typed = new Prompts(config, clock).inlineOrFile(text, null, agent, Map.of("agent.name", agent.name()));
        long pasteToKeys = new Typist(clock, sleeper).type(terminal, pane.id(), profile, typed);
        // The prompt is tracked as a pseudo-task on a board of its own, so the loop's delivery rules apply as is.
        MemoryTaskBoard board = new MemoryTaskBoard(List.of(new dev.rulemux.config.TaskSpec(TASK, "a prompt from rulemux send",
                agent.tier(), Priority.HIGH, typed, null, List.of(), null, List.of(), 1, 0)), clock);
        Deliveries deliveries = new Deliveries(board);
        ScreenHistory history = new ScreenHistory();
        deliveries.delivered(agent.name(), TASK, clock.millis());
        long end = clock.millis() + watchFor.toMillis();
        int presses = 1;
        Status status = null;
        while (clock.millis() < end) {
            sleeper.sleep(Duration.ofMillis(200));
            long now = clock.millis();
            PaneSnapshot snapshot = history.snapshot(agent.name(), terminal.capture(pane.id()), false, null, -1, now);
            Map<String, PaneSnapshot> snapshots = Map.of(agent.name(), snapshot);
            Map<String, Observation> seen = Decider.observe(config, snapshots);
            deliveries.observed(agent.name(), seen.get(agent.name()), status, board.records(), now);
            List<TaskRecord> records = board.records();
            Decider.Outcome outcome = Decider.decide(config, policy, new Decider.Input(snapshots, TaskRecords.facts(records, now),
                    deliveries.facts(records, now), deliveries.activity(List.of(agent.name()), now), now), seen, false);
            status = outcome.decision().statusOf(agent.name()).map(s -> s.status()).orElse(Status.UNKNOWN);
            if (records.get(0).delivery().seenWorking()) {
                return new Result(Outcome.SUBMITTED, presses, agent.name() + " is at work on it", pasteToKeys);
            }
            for (Action a : outcome.decision().actions()) {
                if (a.type() == ActionType.PRESS_ENTER && TASK.equals(a.task())) {
                    terminal.pressKeys(pane.id(), profile.delivery().submitKeys());
                    deliveries.enterPressed(agent.name(), TASK, clock.millis());
                    presses++;
                } else if (a.type() == ActionType.ALERT && TASK.equals(a.task())) {
                    return new Result(Outcome.UNSUBMITTED, presses, a.reason(), pasteToKeys);
                }
            }
            boolean boxEmpty = seen.get(agent.name()).input().map(b -> !b.hasDraft()).orElse(false);
            if (status == Status.IDLE && boxEmpty && snapshot.unchangedMs(now) >= 1000) {
                return new Result(Outcome.TAKEN, presses, agent.name() + " took it and is idle", pasteToKeys);
            }
        }
        return new Result(Outcome.UNKNOWN, presses, "no sign either way within " + watchFor.toSeconds() + " s (status " + status + ")", pasteToKeys);
    }

    /**
     * Waits until the agent reads as the loop would read it before handing it the next prompt: the policy's
     * status is idle, the input box holds no draft, and the screen has not changed for a second. False when
     * {@code timeout} passes first.
     */
    public boolean awaitIdle(AgentSpec agent, Pane pane, Duration timeout) {
        ScreenHistory history = new ScreenHistory();
        long end = clock.millis() + timeout.toMillis();
        while (clock.millis() < end) {
            long now = clock.millis();
            PaneSnapshot snapshot = history.snapshot(agent.name(), terminal.capture(pane.id()), false, null, -1, now);
            Map<String, PaneSnapshot> snapshots = Map.of(agent.name(), snapshot);
            Map<String, Observation> seen = Decider.observe(config, snapshots);
            Decider.Outcome outcome = Decider.decide(config, policy, new Decider.Input(snapshots, List.of(), List.of(),
                    List.of(), now), seen, false);
            Status status = outcome.decision().statusOf(agent.name()).map(s -> s.status()).orElse(Status.UNKNOWN);
            boolean boxEmpty = seen.get(agent.name()).input().map(b -> !b.hasDraft()).orElse(false);
            if (status == Status.IDLE && boxEmpty && snapshot.unchangedMs(now) >= 1000) {
                return true;
            }
            sleeper.sleep(Duration.ofMillis(200));
        }
        return false;
    }

    /** True when the agent's input box, as its profile reads the screen now, holds a draft (typed or pasted text). */
    public boolean hasDraft(AgentSpec agent, Pane pane) {
        PaneSnapshot snapshot = new ScreenHistory().snapshot(agent.name(), terminal.capture(pane.id()), false, null, -1,
                clock.millis());
        return Decider.observe(config, Map.of(agent.name(), snapshot)).get(agent.name()).input().map(b -> b.hasDraft())
                .orElse(false);
    }
}
