package dev.rulemux.domain;

/** An agent the policy has taken out of service (it crashed too often): no work, no restart, until it is reinstated. */
public record Disabled(String agent, String reason) implements AboutAgent {
}
