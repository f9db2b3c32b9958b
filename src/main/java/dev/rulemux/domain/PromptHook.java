package dev.rulemux.domain;

/**
 * The agent's CLI reports each prompt it takes through a hook of its own (Claude Code {@code UserPromptSubmit}, Gemini
 * CLI {@code BeforeAgent}), as its profile's {@code hooks:} wire it: after a delivery, that hook's silence is evidence
 * that the prompt was not submitted (rules/delivery.drl weighs it where the screen cannot read the input box).
 *
 * @param agent the agent
 * @param event the CLI's name of its prompt-submitted event
 */
public record PromptHook(String agent, String event) implements AboutAgent {
}
