package dev.rulemux.domain;

/**
 * The host {@code agent} runs on cannot be reached: its connection dropped or never came up. The agent and its
 * screen are out of sight (its CLI may well be working on, there), so the policy decides what its tasks do
 * (rules/hosts.drl): wait {@code host_grace}, then go to a backup on another host or back to the queue.
 *
 * @param agent  an agent on that host
 * @param host   the host, as agents.yaml names it
 * @param forMs  how long it has been down
 * @param reason why, as ssh or the link said
 */
public record HostDown(String agent, String host, long forMs, String reason) implements AboutAgent {
}
