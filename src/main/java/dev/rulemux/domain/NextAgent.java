package dev.rulemux.domain;

/**
 * The free agent of a tier working {@code mode} next in line for that queue: the earliest of agents.yaml
 * among those idle with nothing in flight and not given a task in this tick. Kept up to date as agents become free
 * and take tasks, not looked for anew for every task given out.
 */
public record NextAgent(Tier tier, IsolationMode mode, Agent agent) {
}
