package dev.rulemux.sim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Locale;
import java.util.Map;

/**
 * Answers for the side calls that ask for JSON output (session titles, Gemini CLI's model router): a value
 * that fits the request's schema, with answers the CLIs accept for the properties they are known to ask for.
 */
final class SchemaValues {

    /** By property name: a session title, the Gemini router's choice, Gemini's next-speaker check. */
    private static final Map<String, String> KNOWN = Map.of(
            "title", "Mock session",
            "model_choice", "flash",
            "next_speaker", "user",
            "reasoning", "mock");

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private SchemaValues() {
    }

    /**
     * A value that fits {@code schema} (JSON Schema or the OpenAPI subset Gemini uses, types in any case):
     * the first enum value, {@code "mock"}, 0, false, an empty array, or an object with every property.
     */
    static JsonNode valueFor(JsonNode schema) {
        if (schema.path("enum").size() > 0) {
            return schema.path("enum").get(0);
        }
        String type = schema.path("type").isArray() ? schema.path("type").path(0).asText("object")
                : schema.path("type").asText("object");
        switch (type.toLowerCase(Locale.ROOT)) {
            case "string":
                return NODES.textNode("mock");
            case "number":
            case "integer":
                return NODES.numberNode(0);
            case "boolean":
                return NODES.booleanNode(false);
            case "array":
                return NODES.arrayNode();
            case "null":
                return NODES.nullNode();
            default:
                ObjectNode object = NODES.objectNode();
                schema.path("properties").fields().forEachRemaining(field -> {
                    String known = KNOWN.get(field.getKey());
                    object.set(field.getKey(), known != null ? NODES.textNode(known) : valueFor(field.getValue()));
                });
                return object;
        }
    }
}
