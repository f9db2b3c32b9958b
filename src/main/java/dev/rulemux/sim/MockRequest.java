package dev.rulemux.sim;

import java.time.Instant;

/**
 * One request the mock model server received.
 *
 * @param api        {@code anthropic}, {@code openai}, {@code gemini}, or {@code unknown} for a path no dialect serves
 * @param path       the request path with its query, as sent
 * @param prompt     the user's own text of the last user message, as the CLI sent it (see each dialect for what
 *                   it strips: context blocks the CLI adds around the user's text); {@code ""} when there is none
 * @param agentTurn  the request offered tools: it is the agent's turn, not a side call (title, router, count)
 * @param toolResult the request carries the result of a tool call the mock asked for
 * @param at         when it arrived
 * @param script     the directive read from {@code prompt}; side calls are answered plainly whatever it says
 */
public record MockRequest(
        String api,
        String path,
        String prompt,
        boolean agentTurn,
        boolean toolResult,
        Instant at,
        Script script) {
}
