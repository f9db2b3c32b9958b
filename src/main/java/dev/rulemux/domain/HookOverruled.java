package dev.rulemux.domain;

/**
 * The agent's latest hook event no longer counts: it is older than the policy's {@code hook_grace} and its screen
 * shows another status (a turn interrupted without a Stop hook, say). Its screen classifies it again.
 *
 * @param agent  the agent
 * @param reason what the screen shows instead
 */
public record HookOverruled(String agent, String reason) implements AboutAgent {
}
