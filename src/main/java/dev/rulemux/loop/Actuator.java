package dev.rulemux.loop;

import dev.rulemux.config.AgentSpec;
import dev.rulemux.config.Config;
import dev.rulemux.config.Profile;
import dev.rulemux.config.TaskSpec;
import dev.rulemux.domain.Action;
import dev.rulemux.domain.TaskState;
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
                TaskSpec task = board.spec(action.task()).orElseThrow();
                String text = prompts.forTask(task, agent, Map.of());
                type(tmux, pane, profile, text);
                long now = clock.millis();
                board.move(task.id(), TaskState.ASSIGNED, agent.name(), action.reason());
                deliveries.delivered(agent.name(), task.id(), now);
                log.dispatch("sent " + task.id() + " to " + agent.name() + " (" + text.length() + " chars): " + action.reason());
            }
            case PRESS_ENTER -> {
                tmux.pressKeys(pane.id(), profile.delivery().submitKeys());
                deliveries.enterPressed(agent.name(), clock.millis());
                log.dispatch("pressed " + String.join(" ", profile.delivery().submitKeys()) + " again for "
                        + action.task() + " on " + agent.name() + ": " + action.reason());
            }
            case ANSWER_DIALOG -> {
                tmux.pressKeys(pane.id(), action.keys());
                deliveries.keysSent(agent.name(), clock.millis());
                log.decision("answered a dialog of " + agent.name() + " with " + String.join(" ", action.keys()) + ": " + action.reason());
            }
            case INTERRUPT -> {
                keys(tmux, pane, profile, profile.interrupt());
                deliveries.keysSent(agent.name(), clock.millis());
                log.decision("interrupted " + agent.name() + ": " + action.reason());
            }
            case NUDGE -> {
                Optional<TaskSpec> task = action.task() == null ? Optional.empty() : board.spec(action.task());
                String text = prompts.render("reminder", task.orElse(null), agent, Map.of("reason", action.reason()));
                type(tmux, pane, profile, text);
                deliveries.nudged(agent.name(), clock.millis());
                log.decision("nudged " + agent.name() + ": " + action.reason());
            }
            case RESTART_AGENT -> {
                team.restart(agent, pane);
                log.decision("restarted " + agent.name() + ": " + action.reason());
            }
            case ALERT -> log.decision("ALERT " + agent.name() + (action.task() == null ? "" : " [" + action.task() + "]")
                    + ": " + action.reason());
            case PREPARE_HANDOFF, HANDOFF -> log.decision("decided " + action.type().wireName() + " for " + agent.name()
                    + " (not carried out by this version of rulemux): " + action.reason());
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
