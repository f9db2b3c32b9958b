package dev.rulemux.domain;

/**
 * What rulemux last did to an agent, so that the policy can leave the CLI time to react and escalate step
 * by step.
 *
 * @param agent          the agent
 * @param msSinceKeys    how long ago rulemux last typed or pressed anything in its pane ({@link Long#MAX_VALUE} if never)
 * @param nudges         how many times it was nudged or interrupted about its current task (the stuck ladder's step)
 * @param restarts       how many times rulemux restarted it within the policy's crash window
 * @param msSinceRestart how long ago rulemux last restarted it ({@link Long#MAX_VALUE} if never)
 */
public record Activity(String agent, long msSinceKeys, int nudges, int restarts, long msSinceRestart) implements AboutAgent {

    public Activity(String agent, long msSinceKeys, int nudges) {
        this(agent, msSinceKeys, nudges, 0, Long.MAX_VALUE);
    }

    public static Activity none(String agent) {
        return new Activity(agent, Long.MAX_VALUE, 0, 0, Long.MAX_VALUE);
    }
}
