package dev.rulemux.domain;

/**
 * What rulemux last did to an agent's pane, so that the policy can leave the CLI time to react before it
 * answers the same dialog or nudges again.
 *
 * @param agent       the agent
 * @param msSinceKeys how long ago rulemux last typed or pressed anything in its pane ({@link Long#MAX_VALUE} if never)
 * @param nudges      how many times it was nudged about its current task
 */
public record Activity(String agent, long msSinceKeys, int nudges) implements AboutAgent {

    public static Activity none(String agent) {
        return new Activity(agent, Long.MAX_VALUE, 0);
    }
}
