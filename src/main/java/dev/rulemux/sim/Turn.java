package dev.rulemux.sim;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Optional;

/**
 * What a dialect read from one request.
 *
 * @param prompt     the user's own text of the last user message ({@code ""} when none)
 * @param agentTurn  the request offered tools
 * @param toolResult the last message carries a tool result
 * @param stream     the client asked for a streamed answer
 * @param model      the model the client named
 * @param jsonSchema the schema of the JSON answer the client asked for, if it asked for one
 * @param body       the whole request body
 */
record Turn(String prompt, boolean agentTurn, boolean toolResult, boolean stream, String model,
        Optional<JsonNode> jsonSchema, JsonNode body) {
}
