package dev.rulemux.domain;

/**
 * A turn that ended on an agent's screen after the prompt of a task was delivered: a line the agent's profile marks as
 * one per answered turn ({@code turns:}, Gemini CLI's {@code ✦ } answer) appeared below those that were on the screen
 * when the prompt was delivered. Evidence the prompt was taken and answered when no capture saw the agent at work (a
 * turn shorter than a tick); whether that completes the task is the policy's to decide (rules/lifecycle.drl).
 *
 * @param agent the agent
 * @param task  the task whose prompt was delivered
 * @param atMs  when a capture first showed the new turn line, epoch ms (an instant: the fact stays the same tick after tick)
 * @param line  the newest turn line then, as shown
 */
public record TurnOnScreen(String agent, String task, long atMs, String line) implements AboutAgent {
}
