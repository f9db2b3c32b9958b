package dev.rulemux.loop;

import dev.rulemux.config.AgentSpec;
import dev.rulemux.config.Config;
import dev.rulemux.config.Profile;
import dev.rulemux.config.TaskSpec;
import dev.rulemux.domain.Action;
import dev.rulemux.tmux.Pane;
import dev.rulemux.tmux.Tmux;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Carries out the policy's actions through tmux. It decides nothing: each method does what the action
 * says, records what it did (so the next tick's facts show it) and logs it.
 */
public final class Actuator {

    private final Config config;
    private final Team team;
    private final TaskBoard board;
    private final Deliveries deliveries;
    private final Prompts prompts;
    private final EventLog log;
    private final Clock clock;

    public Actuator(Config config, Team team, TaskBoard board, Deliveries deliveries, EventLog log, Clock clock) {
        this.config = config;
        this.team = team;
        this.board = board;
        this.deliveries = deliveries;
        this.prompts = new Prompts(config, clock);
        this.log = log;
        this.clock = clock;
    }

    /** Carries out {@code action} on the agent's pane; throws when tmux fails (the action may then be decided again). */
    public void carryOut(Action action, Pane pane) {
        AgentSpec agent = config.team().agent(action.agent()).orElseThrow();
        Profile profile = config.profileOf(agent);
        Tmux tmux = team.tmux();
        switch (action.type()) {
            case SEND_PROMPT -> {
                TaskRecord task = board.record(action.task()).orElseThrow();
                String failure = task.lastOutput() == null ? "" : task.lastOutput();
                String text = prompts.forTask(task.spec(), agent, Map.of("task.attempt", Integer.toString(task.attempts() + 1),
                        "failure", failure), failure.isEmpty() ? "task" : "retry");
                // The delivery is recorded before the text is typed: a crash in between leaves a task in flight
                // whose prompt is nowhere on the agent's screen, which the policy re-queues on restart.
                if (!deliveries.delivered(agent.name(), task.id(), clock.millis())) {
                    throw new IllegalStateException(task.id() + " is no longer pending");
                }
                type(tmux, pane, profile, text);
                log.dispatch(agent.name(), task.id(), "sent " + task.id() + " to " + agent.name() + " (" + text.length()
                        + " chars" + (failure.isEmpty() ? "" : ", a retry with the last failure") + "): " + action.reason());
            }
            case PRESS_ENTER -> {
                tmux.pressKeys(pane.id(), profile.delivery().submitKeys());
                deliveries.enterPressed(agent.name(), action.task(), clock.millis());
                log.dispatch(agent.name(), action.task(), "pressed " + String.join(" ", profile.delivery().submitKeys())
                        + " again for " + action.task() + " on " + agent.name() + ": " + action.reason());
            }
            case ANSWER_DIALOG -> {
                tmux.pressKeys(pane.id(), action.keys());
                deliveries.keysSent(agent.name(), clock.millis());
                log.action(agent.name(), action.task(), "answered a dialog of " + agent.name() + " with "
                        + String.join(" ", action.keys()) + ": " + action.reason());
            }
            case INTERRUPT -> {
                keys(tmux, pane, profile, profile.interrupt());
                deliveries.keysSent(agent.name(), clock.millis());
                log.action(agent.name(), action.task(), "interrupted " + agent.name() + ": " + action.reason());
            }
            case NUDGE -> {
                Optional<TaskSpec> task = action.task() == null ? Optional.empty() : board.spec(action.task());
                String text = prompts.render("reminder", task.orElse(null), agent, Map.of("reason", action.reason()));
                type(tmux, pane, profile, text);
                deliveries.nudged(agent.name(), clock.millis());
                log.action(agent.name(), action.task(), "nudged " + agent.name() + ": " + action.reason());
            }
            case RESTART_AGENT -> {
                team.restart(agent, pane);
                log.action(agent.name(), action.task(), "restarted " + agent.name() + ": " + action.reason());
            }
            case ALERT -> log.alert(agent.name(), action.task(), agent.name() + (action.task() == null ? "" : " [" + action.task() + "]")
                    + ": " + action.reason());
            case PREPARE_HANDOFF, HANDOFF -> log.action(agent.name(), action.task(), "decided " + action.type().wireName()
                    + " for " + agent.name() + " (not carried out by this version of rulemux): " + action.reason());
        }
    }

    /** Pastes {@code text}, waits the profile's submit delay, presses its submit keys. */
    private void type(Tmux tmux, Pane pane, Profile profile, String text) {
        tmux.paste(pane.id(), text);
        Team.sleep(profile.delivery().submitDelay());
        tmux.pressKeys(pane.id(), profile.delivery().submitKeys());
    }

    private static void keys(Tmux tmux, Pane pane, Profile profile, Profile.KeysSpec spec) {
        if (spec.command() != null && !spec.command().isEmpty()) {
            tmux.paste(pane.id(), spec.command());
            Team.sleep(profile.delivery().submitDelay());
            tmux.pressKeys(pane.id(), profile.delivery().submitKeys());
        }
        for (String key : spec.keys()) {
            tmux.pressKeys(pane.id(), List.of(key));
        }
    }
}
