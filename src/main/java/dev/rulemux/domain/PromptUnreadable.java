package dev.rulemux.domain;

/**
 * The prompt of a pending task could not be built when it was to be sent to {@code agent} (its prompt file
 * vanished, or is no longer UTF-8 text): nothing was typed. Sending it again cannot work, so the policy fails the
 * task (rules/lifecycle.drl) and no longer counts it ready (rules/dispatch.drl). Known while the task is pending.
 *
 * @param task   the task
 * @param agent  the agent it was to be sent to
 * @param reason why, naming the file
 */
public record PromptUnreadable(String task, String agent, String reason) implements AboutAgent {
}
