package dev.rulemux.loop;

import dev.rulemux.domain.Activity;
import dev.rulemux.domain.Delivery;
import dev.rulemux.domain.Status;
import dev.rulemux.screen.Observation;
import dev.rulemux.domain.MarkerKind;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What rulemux has done to each agent: the prompt in flight (when it was sent, how often Enter was pressed,
 * whether the agent was since seen at work) and when anything was last typed into its pane. These become
 * the {@link Delivery} and {@link Activity} facts the policy decides from.
 */
public final class Deliveries {

    private static final class InFlight {
        final String task;
        final long sentAt;
        final String finishedBefore;
        int enterPresses;
        long lastKeysAt;
        boolean seenWorking;

        InFlight(String task, long sentAt, String finishedBefore) {
            this.task = task;
            this.sentAt = sentAt;
            this.finishedBefore = finishedBefore;
            this.enterPresses = 1;
            this.lastKeysAt = sentAt;
        }
    }

    private final Map<String, InFlight> inFlight = new HashMap<>();
    /** The newest finished-turn line last seen on each agent's screen. */
    private final Map<String, String> lastFinished = new HashMap<>();
    private final Map<String, Long> lastKeys = new HashMap<>();
    private final Map<String, Integer> nudges = new HashMap<>();

    /** A prompt for {@code task} was pasted into {@code agent}'s pane and its submit keys pressed once. */
    public synchronized void delivered(String agent, String task, long now) {
        inFlight.put(agent, new InFlight(task, now, lastFinished.get(agent)));
        lastKeys.put(agent, now);
        nudges.remove(agent);
    }

    /**
     * A task found in flight when rulemux starts (it was delivered by an earlier run): tracked as delivered
     * now, with its keys pressed long ago, so that the policy may press Enter at once if its prompt still
     * sits in the input box, and completes it once the agent is seen at work and idle again.
     */
    public synchronized void adopt(String agent, String task, long now) {
        if (!inFlight.containsKey(agent)) {
            InFlight f = new InFlight(task, now, lastFinished.get(agent));
            f.lastKeysAt = 0;
            inFlight.put(agent, f);
        }
    }

    /** The submit keys were pressed again for the prompt in flight. */
    public synchronized void enterPressed(String agent, long now) {
        InFlight f = inFlight.get(agent);
        if (f != null) {
            f.enterPresses++;
            f.lastKeysAt = now;
        }
        lastKeys.put(agent, now);
    }

    /** Something else was typed or pressed in {@code agent}'s pane (a dialog answer, a nudge). */
    public synchronized void keysSent(String agent, long now) {
        lastKeys.put(agent, now);
    }

    public synchronized void nudged(String agent, long now) {
        nudges.merge(agent, 1, Integer::sum);
        lastKeys.put(agent, now);
    }

    /**
     * Records what the agent's screen showed this tick. A working marker, a dialog or a limit means the agent
     * took the prompt; so does a finished-turn line that was not there when the prompt was delivered (a turn
     * shorter than a tick shows no spinner to rulemux). A screen that merely changed does not: pasting
     * changes it too.
     */
    public synchronized void observed(String agent, Observation seen, Status status) {
        String finished = seen.markers().stream().filter(m -> m.kind() == MarkerKind.FINISHED)
                .min(java.util.Comparator.comparingInt(m -> m.fromBottom())).map(m -> m.line().strip()).orElse(null);
        InFlight f = inFlight.get(agent);
        if (f != null) {
            boolean atWork = seen.markers().stream().anyMatch(m -> m.kind() == MarkerKind.WORKING
                    || m.kind() == MarkerKind.APPROVAL || m.kind() == MarkerKind.RATE_LIMIT)
                    || status == Status.STUCK
                    || finished != null && !finished.equals(f.finishedBefore);
            if (atWork) {
                f.seenWorking = true;
            }
        }
        if (finished != null) {
            lastFinished.put(agent, finished);
        }
    }

    /** The prompt in flight on {@code agent} is over (its task completed, failed, was re-queued or handed over). */
    public synchronized void finished(String agent) {
        inFlight.remove(agent);
        nudges.remove(agent);
    }

    public synchronized Optional<String> taskOf(String agent) {
        return Optional.ofNullable(inFlight.get(agent)).map(f -> f.task);
    }

    public synchronized List<Delivery> facts(long now) {
        List<Delivery> out = new ArrayList<>();
        inFlight.forEach((agent, f) -> out.add(new Delivery(agent, f.task, now - f.sentAt, f.enterPresses,
                now - f.lastKeysAt, f.seenWorking)));
        return out;
    }

    public synchronized List<Activity> activity(List<String> agents, long now) {
        List<Activity> out = new ArrayList<>();
        for (String agent : agents) {
            Long at = lastKeys.get(agent);
            out.add(new Activity(agent, at == null ? Long.MAX_VALUE : now - at, nudges.getOrDefault(agent, 0)));
        }
        return out;
    }
}
