package dev.rulemux.domain;

/**
 * The prompt of a task in flight on an agent, as rulemux delivered it: what the policy needs to judge
 * whether it was submitted and whether pressing Enter again is due. Instants, not ages (see {@link PaneSnapshot}).
 *
 * @param agent          the agent it went to
 * @param task           the task (or {@code "send"} for a manual {@code rulemux send})
 * @param sentAtMs       when it was pasted, epoch ms
 * @param enterPresses   how many times its submit keys were pressed (1 right after delivery)
 * @param lastKeysAtMs   when anything was last pressed for it, epoch ms
 * @param seenWorking    the agent's screen has shown it at work (a working marker, a dialog, a limit, a new
 *                       finished line) since
 * @param adopted        found in flight when rulemux started (delivered by an earlier run): whether the prompt
 *                       reached the agent is to be judged from the screen
 */
public record Delivery(String agent, String task, long sentAtMs, int enterPresses, long lastKeysAtMs,
                       boolean seenWorking, boolean adopted) implements AboutAgent {

    public Delivery(String agent, String task, long sentAtMs, int enterPresses, long lastKeysAtMs, boolean seenWorking) {
        this(agent, task, sentAtMs, enterPresses, lastKeysAtMs, seenWorking, false);
    }

    /** How long ago it was pasted at {@code nowMs}. */
    public long msSinceSent(long nowMs) {
        return Math.max(0, nowMs - sentAtMs);
    }

    /** How long ago anything was last pressed for it at {@code nowMs}. */
    public long msSinceLastKeys(long nowMs) {
        return Math.max(0, nowMs - lastKeysAtMs);
    }
}
