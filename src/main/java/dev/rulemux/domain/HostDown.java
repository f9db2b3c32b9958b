package dev.rulemux.domain;

/**
 * The host {@code agent} runs on cannot be reached: its connection dropped or never came up. The agent and its
 * screen are out of sight (its CLI may well be working on, there), so the policy decides what its tasks do
 * (rules/hosts.drl): wait {@code host_grace}, then go to a backup on another host or back to the queue.
 *
 * @param agent  an agent on that host
 * @param host   the host, as agents.yaml names it
 * @param sinceMs since when it has been down (epoch ms): an instant, not an age, so the run's session keeps the fact
 *                while the host stays down
 * @param reason why, as ssh or the link said
 */
public record HostDown(String agent, String host, long sinceMs, String reason) implements AboutAgent {

    /** How long the host has been down at {@code nowMs}. */
    public long forMs(long nowMs) {
        return Math.max(0, nowMs - sinceMs);
    }
}
