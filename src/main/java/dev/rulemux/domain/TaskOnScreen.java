package dev.rulemux.domain;

/**
 * The header of a task's prompt ({@code [rulemux task ID]}, from prompts/task.md) is visible on an agent's
 * screen: the prompt reached the agent's transcript.
 */
public record TaskOnScreen(String agent, String task) implements AboutAgent {
}
