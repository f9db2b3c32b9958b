package dev.rulemux.loop;

import dev.rulemux.board.TaskBoard;
import dev.rulemux.board.TaskRecord;
import dev.rulemux.domain.Activity;
import dev.rulemux.domain.Delivery;
import dev.rulemux.domain.MarkerKind;
import dev.rulemux.domain.Status;
import dev.rulemux.screen.Observation;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What rulemux has done to each agent: the prompts in flight (kept on the task board, so that a restarted run
 * knows them) and, in memory, when anything was last typed into each pane and the newest finished-turn line
 * each screen showed. These become the {@link Delivery} and {@link Activity} facts the policy decides from.
 */
public final class Deliveries {

    private final TaskBoard board;
    private final Map<String, Long> lastKeys = new HashMap<>();
    private final Map<String, Integer> nudges = new HashMap<>();
    private final Map<String, List<Long>> restarts = new HashMap<>();
    /** The task each agent was last given: sending it the same task again keeps its stuck ladder's step. */
    private final Map<String, String> lastTask = new HashMap<>();
    /** The newest finished-turn line last seen on each agent's screen. */
    private final Map<String, String> lastFinished = new HashMap<>();
    /** When each agent was last given a task's prompt (or, for a task in flight when this run started, -1). */
    private final Map<String, Long> lastPrompt = new HashMap<>();
    /** Tasks found in flight when this run started: delivered by an earlier run. */
    private final Set<String> adopted = new HashSet<>();
    /** The turn lines last seen on each agent's screen (its profile's {@code turns:}). */
    private final Map<String, List<String>> lastTurns = new HashMap<>();
    /** The turn lines on the agent's screen when each task's prompt was delivered, by task. */
    private final Map<String, List<String>> turnsAtDelivery = new HashMap<>();
    /** A turn seen ended on screen since each task's prompt was delivered, by task. */
    private final Map<String, dev.rulemux.domain.TurnOnScreen> turnsEnded = new HashMap<>();
    /** Pending tasks whose prompt could not be built when they were to be sent, by task. */
    private final Map<String, dev.rulemux.domain.PromptUnreadable> unreadable = new HashMap<>();
    /** The tasks whose prompt is being typed now (delivered, its submit keys not yet pressed). */
    private final Set<String> typing = new HashSet<>();
    /** When each task's prompt was submitted (its submit keys first pressed), as far as this run knows. */
    private final Map<String, Long> submitted = new HashMap<>();

    public Deliveries(TaskBoard board) {
        this.board = board;
        for (TaskRecord r : board.records()) {
            if (r.state().inFlight()) {
                adopted.add(r.id());
                if (r.delivery() != null) {
                    lastPrompt.put(r.delivery().agent(), -1L); // its CLI, if still the same, has that conversation
                }
            }
        }
    }

    /** A prompt for {@code task} was pasted into {@code agent}'s pane and its submit keys pressed once. */
    public synchronized boolean delivered(String agent, String task, long now) {
        typing.add(task);
        submitted.remove(task);
        lastKeys.put(agent, now);
        lastPrompt.put(agent, now);
        if (!task.equals(lastTask.put(agent, task))) {
            nudges.remove(agent);
        }
        adopted.remove(task);
        turnsEnded.remove(task);
        List<String> turns = lastTurns.get(agent);
        if (turns == null) {
            turnsAtDelivery.remove(task); // its screen not yet seen: no turn line to compare with
        } else {
            turnsAtDelivery.put(task, turns);
        }
        return board.delivered(task, agent, now, lastFinished.get(agent));
    }

    /** The submit keys were pressed again for the prompt of {@code task}. */
    public synchronized void enterPressed(String agent, String task, long now) {
        lastKeys.put(agent, now);
        if (task != null) {
            board.enterPressed(task, now);
        }
    }

    /**
     * The prompt of {@code task} was typed into {@code agent}'s pane and its submit keys pressed (or the typing ended
     * in a failure: as far as it got). Until then a hook of the agent's CLI is about the turn before (a CLI may report
     * a turn's end after rulemux has seen it on screen and begun typing the next prompt).
     */
    public synchronized void submitted(String agent, String task, long now) {
        if (typing.remove(task)) {
            submitted.put(task, now);
            lastKeys.put(agent, now);
        }
    }

    /**
     * When the prompt of the task of {@code r} counts as sent: its submit keys pressed; the present while it is
     * being typed; the delivery's record when this run did not type it.
     */
    private long sentAt(TaskRecord r, long now) {
        if (typing.contains(r.id())) {
            return now;
        }
        return submitted.getOrDefault(r.id(), r.delivery().deliveredAt());
    }

    /** Something else was typed or pressed in {@code agent}'s pane (a dialog answer, an interrupt). */
    public synchronized void keysSent(String agent, long now) {
        lastKeys.put(agent, now);
    }

    /** A step up the stuck ladder: a nudge, or an interrupt. */
    public synchronized void nudged(String agent, long now) {
        nudges.merge(agent, 1, Integer::sum);
        lastKeys.put(agent, now);
    }

    /** rulemux launched the agent's CLI again. */
    public synchronized void restarted(String agent, long now) {
        List<Long> at = restarts.computeIfAbsent(agent, a -> new ArrayList<>());
        at.add(now);
        if (at.size() > 50) {
            at.remove(0);
        }
        lastKeys.put(agent, now);
    }

    /**
     * Whether {@code agent}'s CLI, as it runs now, was given a task's prompt (by this run since its last restart, or by
     * an earlier run whose task is still in flight): then it has a conversation a restart may carry on.
     */
    public synchronized boolean typedSinceStart(String agent) {
        Long prompted = lastPrompt.get(agent);
        if (prompted == null) {
            return false;
        }
        List<Long> r = restarts.getOrDefault(agent, List.of());
        return r.isEmpty() || prompted >= r.get(r.size() - 1);
    }

    /** The restarts so far, as facts (the policy counts those in its crash window). */
    public synchronized List<dev.rulemux.domain.Restart> restartFacts(long now) {
        List<dev.rulemux.domain.Restart> out = new ArrayList<>();
        restarts.forEach((agent, times) -> times.forEach(t -> out.add(new dev.rulemux.domain.Restart(agent, t))));
        return out;
    }

    /**
     * Records what the agent's screen showed this tick. A working marker, a dialog or a limit means the agent
     * took its prompt; so does a finished-turn line that was not there when the prompt was delivered (a turn
     * shorter than a tick shows no spinner to rulemux). A screen that merely changed does not: pasting
     * changes it too.
     * A turn line below those on screen when a prompt was delivered ({@link dev.rulemux.screen.Turns}) is kept, with
     * when it was first seen, as a {@link dev.rulemux.domain.TurnOnScreen} for the policy to weigh.
     */
    public synchronized void observed(String agent, Observation seen, Status status, List<TaskRecord> records, long now) {
        String finished = seen.markers().stream().filter(m -> m.kind() == MarkerKind.FINISHED)
                .min(Comparator.comparingInt(m -> m.fromBottom())).map(m -> m.line().strip()).orElse(null);
        for (TaskRecord r : records) {
            TaskRecord.DeliveryRecord d = r.delivery();
            if (d == null || !agent.equals(d.agent()) || !r.state().inFlight() || d.seenWorking()) {
                continue;
            }
            boolean atWork = seen.markers().stream().anyMatch(m -> m.kind() == MarkerKind.WORKING
                    || m.kind() == MarkerKind.APPROVAL || m.kind() == MarkerKind.RATE_LIMIT)
                    || status == Status.STUCK
                    || finished != null && !finished.equals(d.finishedLine()) && !adopted.contains(r.id());
            if (atWork) {
                board.seenWorking(r.id());
            }
        }
        if (finished != null) {
            lastFinished.put(agent, finished);
        }
        for (TaskRecord r : records) {
            TaskRecord.DeliveryRecord d = r.delivery();
            List<String> before = turnsAtDelivery.get(r.id());
            if (d == null || !agent.equals(d.agent()) || !r.state().inFlight() || before == null
                    || turnsEnded.containsKey(r.id())) {
                continue;
            }
            dev.rulemux.screen.Turns.newSince(before, seen.turns()).ifPresent(line ->
                    turnsEnded.put(r.id(), new dev.rulemux.domain.TurnOnScreen(agent, r.id(), now, line)));
        }
        lastTurns.put(agent, seen.turns());
    }

    /** The turns seen ended on screen since the prompts in flight were delivered, as facts. */
    public synchronized List<dev.rulemux.domain.TurnOnScreen> turnsOnScreen(List<TaskRecord> records) {
        Map<String, String> inFlight = new HashMap<>();
        for (TaskRecord r : records) {
            if (r.delivery() != null && r.state().inFlight()) {
                inFlight.put(r.id(), r.delivery().agent());
            }
        }
        turnsEnded.values().removeIf(t -> !t.agent().equals(inFlight.get(t.task())));
        turnsAtDelivery.keySet().retainAll(inFlight.keySet());
        return List.copyOf(turnsEnded.values());
    }

    /**
     * The agent's CLI reported {@code event} through its hooks: a prompt submitted, a turn ended or an approval asked for
     * after a prompt was delivered means the agent took that prompt.
     */
    public synchronized void hooked(dev.rulemux.domain.HookEvent event, List<TaskRecord> records) {
        if (!event.kind().showsAWorkingTurn()) {
            return;
        }
        for (TaskRecord r : records) {
            TaskRecord.DeliveryRecord d = r.delivery();
            if (d != null && event.agent().equals(d.agent()) && r.state().inFlight() && !d.seenWorking()
                    && !typing.contains(r.id()) && event.atMs() >= sentAt(r, Long.MAX_VALUE)) {
                board.seenWorking(r.id());
            }
        }
    }

    /** The prompt of {@code task} could not be built for {@code agent}: nothing was typed. */
    public synchronized void promptUnreadable(String agent, String task, String reason) {
        unreadable.put(task, new dev.rulemux.domain.PromptUnreadable(task, agent, reason));
    }

    /**
     * The tasks whose prompt could not be built, as facts, while they are pending: once the policy has moved one
     * on (failed), it is forgotten, so that a retry after the file is fixed starts afresh.
     */
    public synchronized List<dev.rulemux.domain.PromptUnreadable> promptFailures(List<TaskRecord> records) {
        Set<String> pending = new HashSet<>();
        records.stream().filter(r -> r.state() == dev.rulemux.domain.TaskState.PENDING).forEach(r -> pending.add(r.id()));
        unreadable.keySet().retainAll(pending);
        return List.copyOf(unreadable.values());
    }

    /** The prompts in flight, as facts. */
    public synchronized List<Delivery> facts(List<TaskRecord> records, long now) {
        List<Delivery> out = new ArrayList<>();
        for (TaskRecord r : records) {
            TaskRecord.DeliveryRecord d = r.delivery();
            if (d != null && r.state().inFlight()) {
                // an adopted prompt's keys were pressed by an earlier run, long ago as far as this one knows
                long keys = adopted.contains(r.id()) ? 0 : typing.contains(r.id()) ? now
                        : Math.max(d.lastKeysAt(), submitted.getOrDefault(r.id(), 0L));
                out.add(new Delivery(d.agent(), r.id(), sentAt(r, now), d.enterPresses(), keys, d.seenWorking(),
                        adopted.contains(r.id())));
            } else if (r.state().finished()) {
                submitted.remove(r.id());
            }
        }
        return out;
    }

    public synchronized List<Activity> activity(List<String> agents, long now) {
        List<Activity> out = new ArrayList<>();
        for (String agent : agents) {
            Long at = lastKeys.get(agent);
            List<Long> r = restarts.getOrDefault(agent, List.of());
            out.add(new Activity(agent, at == null ? Activity.NEVER : at, nudges.getOrDefault(agent, 0), r.size(),
                    r.isEmpty() ? Activity.NEVER : r.get(r.size() - 1)));
        }
        return out;
    }
}
