package dev.rulemux.domain;

/**
 * What rulemux last did to an agent, so that the policy can leave the CLI time to react and escalate step
 * by step. It holds instants, not ages (see {@link PaneSnapshot}); rules measure ages against the tick's {@link Now}.
 *
 * @param agent       the agent
 * @param keysAtMs    when rulemux last typed or pressed anything in its pane, epoch ms ({@link #NEVER} if never)
 * @param nudges      how many times it was nudged or interrupted about its current task (the stuck ladder's step)
 * @param restarts    how many times rulemux restarted it within the policy's crash window
 * @param restartAtMs when rulemux last restarted it, epoch ms ({@link #NEVER} if never)
 */
public record Activity(String agent, long keysAtMs, int nudges, int restarts, long restartAtMs) implements AboutAgent {

    /** The instant of something that never happened. */
    public static final long NEVER = -1;

    public Activity(String agent, long keysAtMs, int nudges) {
        this(agent, keysAtMs, nudges, 0, NEVER);
    }

    public static Activity none(String agent) {
        return new Activity(agent, NEVER, 0, 0, NEVER);
    }

    /** How long ago rulemux last typed or pressed anything in its pane at {@code nowMs} ({@link Long#MAX_VALUE} if never). */
    public long msSinceKeys(long nowMs) {
        return keysAtMs < 0 ? Long.MAX_VALUE : Math.max(0, nowMs - keysAtMs);
    }

    /** How long ago rulemux last restarted it at {@code nowMs} ({@link Long#MAX_VALUE} if never). */
    public long msSinceRestart(long nowMs) {
        return restartAtMs < 0 ? Long.MAX_VALUE : Math.max(0, nowMs - restartAtMs);
    }
}
