package dev.rulemux.loop;

import dev.rulemux.board.TaskBoard;
import dev.rulemux.board.TaskRecord;
import dev.rulemux.config.AgentSpec;
import dev.rulemux.config.Config;
import dev.rulemux.config.Profile;
import dev.rulemux.config.TaskSpec;
import dev.rulemux.domain.Action;
import dev.rulemux.domain.ActionType;
import dev.rulemux.terminal.Pane;
import dev.rulemux.terminal.Terminal;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Carries out the policy's actions through the terminal. It decides nothing: each method does what the action
 * says, records what it did (so the next tick's facts show it) and logs it.
 */
public final class Actuator {

    private final Config config;
    private final Team team;
    private final TaskBoard board;
    private final Deliveries deliveries;
    private final Limits limits;
    private final Handoffs handoffs;
    private final Prompts prompts;
    private final EventLog log;
    private final Notifier notifier;
    private final Clock clock;
    private final Sleeper sleeper;
    private final Typist typist;

    Actuator(Config config, Team team, TaskBoard board, Deliveries deliveries, Limits limits, Handoffs handoffs,
             EventLog log, Notifier notifier, Clock clock, Sleeper sleeper) {
        this.config = config;
        this.team = team;
        this.board = board;
        this.deliveries = deliveries;
        this.limits = limits;
        this.handoffs = handoffs;
        this.prompts = new Prompts(config, clock);
        this.log = log;
        this.notifier = notifier;
        this.clock = clock;
        this.sleeper = sleeper;
        this.typist = new Typist(clock, sleeper);
    }

    /**
     * Tells a person: an alert, or that the team needs their input. Needs no pane and no agent of the team: an alert
     * may be about rulemux itself or a task no agent holds.
     */
    private void tell(Action action) {
        String who = action.agent() == null ? "rulemux" : action.agent();
        String text = who + (action.task() == null ? "" : " [" + action.task() + "]") + ": " + action.reason();
        if (action.type() == ActionType.NEEDS_INPUT) {
            // Decided by the policy (rules/dialogs.drl, rules/reports.drl): a person's input is needed now. Told
            // through notify at once, worded apart from other alerts; once per decision, as every action is.
            log.needsInput(who, action.task(), text);
            notifier.sendNeedsInput("rulemux needs input: " + text);
        } else {
            log.alert(who, action.task(), text);
            notify(text);
        }
    }

    /** Carries out {@code action} on the agent's pane; throws when the terminal fails (the action may then be decided again). */
    public void carryOut(Action action, Pane pane) {
        if (!action.type().touchesPane()) {
            tell(action);
            return;
        }
        AgentSpec agent = config.team().agent(action.agent()).orElseThrow();
        Profile profile = config.profileOf(agent);
        Terminal terminal = team.terminal();
        switch (action.type()) {
            case SEND_PROMPT -> {
                TaskRecord task = board.record(action.task()).orElseThrow();
                String text;
                try {
                    text = promptFor(task, agent);
                } catch (Prompts.Unbuildable e) {
                    // Nothing was typed. Retrying cannot help: the policy decides what becomes of the task from this
                    // fact at the next tick (rules/lifecycle.drl fails it; rules/dispatch.drl passes it over).
                    deliveries.promptUnreadable(agent.name(), task.id(), e.getMessage());
                    log.note("did not send " + task.id() + " to " + agent.name() + ": " + e.getMessage());
                    return;
                }
                // The delivery is recorded before the text is typed: a crash in between leaves a task in flight
                // whose prompt is nowhere on the agent's screen, which the policy re-queues on restart.
                if (!deliveries.delivered(agent.name(), task.id(), clock.millis())) {
                    throw new IllegalStateException(task.id() + " is no longer pending");
                }
                limits.prompted(agent.name());
                try {
                    type(terminal, pane, profile, text);
                } finally {
                    deliveries.submitted(agent.name(), task.id(), clock.millis());
                }
                log.dispatch(agent.name(), task.id(), "sent " + task.id() + " to " + agent.name() + " (" + text.length()
                        + " chars" + kindOf(task, agent) + "): " + action.reason());
            }
            case PRESS_ENTER -> {
                terminal.pressKeys(pane.id(), profile.delivery().submitKeys());
                deliveries.enterPressed(agent.name(), action.task(), clock.millis());
                log.dispatch(agent.name(), action.task(), "pressed " + String.join(" ", profile.delivery().submitKeys())
                        + " again for " + action.task() + " on " + agent.name() + ": " + action.reason());
            }
            case ANSWER_DIALOG -> {
                terminal.pressKeys(pane.id(), action.keys());
                deliveries.keysSent(agent.name(), clock.millis());
                log.action(agent.name(), action.task(), "answered a dialog of " + agent.name() + " with "
                        + String.join(" ", action.keys()) + ": " + action.reason());
            }
            case INTERRUPT -> {
                keys(terminal, pane, profile, profile.interrupt());
                deliveries.nudged(agent.name(), clock.millis());
                log.action(agent.name(), action.task(), "interrupted " + agent.name() + ": " + action.reason());
            }
            case NUDGE -> {
                Optional<TaskSpec> task = action.task() == null ? Optional.empty() : board.spec(action.task());
                String text = prompts.render("reminder", task.orElse(null), agent, Map.of("reason", action.reason()));
                type(terminal, pane, profile, text);
                deliveries.nudged(agent.name(), clock.millis());
                log.action(agent.name(), action.task(), "nudged " + agent.name() + ": " + action.reason());
            }
            case RESTART_AGENT -> {
                // a CLI that had a prompt from rulemux since it started has a conversation to carry on
                team.restart(agent, pane, deliveries.typedSinceStart(agent.name()));
                deliveries.restarted(agent.name(), clock.millis());
                limits.prompted(agent.name());
                log.action(agent.name(), action.task(), "restarted " + agent.name() + ": " + action.reason());
            }
            case ALERT, NEEDS_INPUT -> tell(action);
            case PREPARE_HANDOFF -> {
                TaskSpec task = board.spec(action.task()).orElseThrow();
                java.nio.file.Path note = handoffs.asked(agent.name(), task.id());
                String text = prompts.render("prepare-handoff", task, agent, Map.of("handoff.file", note.toString(),
                        "reason", action.reason()));
                type(terminal, pane, profile, text);
                deliveries.keysSent(agent.name(), clock.millis());
                log.action(agent.name(), task.id(), "asked " + agent.name() + " to write its handoff note " + note + ": "
                        + action.reason());
            }
            case HANDOFF -> {
                // The task itself was handed to the backup by the policy's transition; here the exhausted agent
                // is stopped and cleared so that it starts its next task with a fresh context.
                if (action.task() != null) {
                    keys(terminal, pane, profile, profile.interrupt());
                    sleeper.sleep(profile.delivery().submitDelay());
                }
                Profile.KeysSpec clear = profile.clear();
                if (clear.restart() || clear.isEmpty()) {
                    team.restart(agent, pane);
                    deliveries.restarted(agent.name(), clock.millis());
                } else {
                    keys(terminal, pane, profile, clear);
                    deliveries.keysSent(agent.name(), clock.millis());
                }
                limits.prompted(agent.name());
                log.action(agent.name(), action.task(), (action.task() == null ? "cleared " + agent.name()
                        : "handed " + action.task() + " over to " + action.target() + " and cleared " + agent.name())
                        + " (" + (clear.restart() || clear.isEmpty() ? "restart" : clear.command() != null ? clear.command()
                        : String.join(" ", clear.keys())) + "): " + action.reason());
            }
        }
    }

    /**
     * The prompt of a task about to be sent to {@code agent}: the handoff prompt when another agent had it
     * (with that agent's note, when it wrote one), the retry prompt after a failed check, else the task prompt.
     */
    private String promptFor(TaskRecord task, AgentSpec agent) {
        Map<String, String> extra = new java.util.HashMap<>();
        extra.put("task.attempt", Integer.toString(task.attempts() + 1));
        String failure = task.lastOutput() == null ? "" : task.lastOutput();
        extra.put("failure", failure);
        String from = task.lastAgent();
        if (task.preferAgent() != null && from != null && !from.equals(agent.name())) {
            extra.put("handoff.from", from);
            extra.put("handoff.file", handoffs.noteOf(from, task.id()).toString());
            extra.put("note", handoffs.note(from, task.id()).orElse("(" + from + " left no note)"));
            return prompts.forTask(task.spec(), agent, extra, "handoff");
        }
        return prompts.forTask(task.spec(), agent, extra, failure.isEmpty() ? "task" : "retry");
    }

    private static String kindOf(TaskRecord task, AgentSpec agent) {
        if (task.preferAgent() != null && task.lastAgent() != null && !task.lastAgent().equals(agent.name())) {
            return ", a handoff from " + task.lastAgent();
        }
        return task.lastOutput() == null || task.lastOutput().isEmpty() ? "" : ", a retry with the last failure";
    }

    private void notify(String text) {
        notifier.send(text);
    }

    /** Pastes {@code text} and presses the profile's submit keys when the profile says ({@link Typist}). */
    private void type(Terminal terminal, Pane pane, Profile profile, String text) {
        typist.type(terminal, pane.id(), profile, text);
    }

    private void keys(Terminal terminal, Pane pane, Profile profile, Profile.KeysSpec spec) {
        if (spec.command() != null && !spec.command().isEmpty()) {
            terminal.paste(pane.id(), spec.command());
            sleeper.sleep(profile.delivery().submitDelay());
            terminal.pressKeys(pane.id(), profile.delivery().submitKeys());
        }
        for (String key : spec.keys()) {
            terminal.pressKeys(pane.id(), List.of(key));
        }
    }
}
