package dev.rulemux.domain;

/** What an agent is for: a worker takes tasks; an orchestrator also plans by adding tasks. */
public enum Role {
    WORKER, ORCHESTRATOR
}
