package dev.rulemux.sim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The OpenAI Responses API as Codex uses it: {@code POST /v1/responses}, answered as server-sent events.
 *
 * <p>The prompt: Codex sends the conversation as {@code input} items; the user's turn is a
 * {@code message} item with role {@code user} and {@code input_text} parts. Codex adds its own context as
 * further user messages whose text is wrapped in a tag ({@code <environment_context>},
 * {@code <user_instructions>}, {@code # AGENTS.md instructions …}); the prompt is the last user
 * {@code input_text} that is not one of those.
 */
final class OpenAiResponsesDialect implements Dialect {

    private static final String RESPONSES = "/v1/responses";
    private static final List<String> CONTEXT_PREFIXES = List.of("<environment_context>", "<user_instructions>",
            "<permissions instructions>", "<INSTRUCTIONS>", "# AGENTS.md instructions", "<user_shell_command>",
            "<turn_aborted>", "<skills_instructions>", "<collaboration_mode>", "<personality_spec>");

    private final AtomicLong ids = new AtomicLong();

    @Override
    public String api() {
        return "openai";
    }

    @Override
    public boolean serves(String method, String path) {
        return "POST".equals(method) && RESPONSES.equals(path);
    }

    @Override
    public Turn read(String path, JsonNode body) {
        JsonNode input = body.path("input");
        boolean toolResult = false;
        JsonNode last = input.path(input.size() - 1);
        String lastType = last.path("type").asText();
        if (lastType.endsWith("_call_output")) {
            toolResult = true;
        }
        String prompt = input.isTextual() ? input.asText() : lastUserText(input);
        JsonNode format = body.path("text").path("format");
        Optional<JsonNode> schema = "json_schema".equals(format.path("type").asText())
                ? Optional.of(format.path("schema")) : Optional.empty();
        return new Turn(prompt, body.path("tools").size() > 0, toolResult, body.path("stream").asBoolean(false),
                body.path("model").asText("gpt-mock"), schema, body);
    }

    static String lastUserText(JsonNode input) {
        for (int i = input.size() - 1; i >= 0; i--) {
            JsonNode item = input.get(i);
            if (!"user".equals(item.path("role").asText())) {
                continue;
            }
            JsonNode content = item.path("content");
            if (content.isTextual() && !isContext(content.asText())) {
                return content.asText();
            }
            String text = null;
            for (JsonNode part : Json.elements(content)) {
                String partText = part.path("text").asText("");
                if ("input_text".equals(part.path("type").asText()) && !isContext(partText)) {
                    text = partText;
                }
            }
            if (text != null) {
                return text;
            }
        }
        return "";
    }

    private static boolean isContext(String text) {
        String start = text.stripLeading();
        return CONTEXT_PREFIXES.stream().anyMatch(start::startsWith);
    }

    @Override
    public void answer(HttpExchange exchange, Turn turn, Reply reply) throws IOException {
        if (reply instanceof Reply.Failure failure) {
            fail(exchange, failure.status(), failure.retryAfter());
        } else if (reply instanceof Reply.UsageLimit limit) {
            usageLimit(exchange, limit.retryAfter(), limit.resetsIn());
        } else if (reply instanceof Reply.Text text) {
            streamText(exchange, turn, text);
        } else if (reply instanceof Reply.ShellCall call) {
            streamShellCall(exchange, turn, call);
        }
    }

    private void streamText(HttpExchange exchange, Turn turn, Reply.Text text) throws IOException {
        String responseId = "resp_mock" + next();
        String itemId = "msg_mock" + next();
        Sequence seq = new Sequence();
        try (SseWriter sse = new SseWriter(exchange)) {
            sse.event("response.created", seq.stamp(Json.object().put("type", "response.created")
                    .set("response", response(responseId, turn, "in_progress"))));
            ObjectNode item = Json.object().put("id", itemId).put("type", "message").put("status", "in_progress")
                    .put("role", "assistant");
            item.set("content", Json.array());
            sse.event("response.output_item.added", seq.stamp(Json.object()
                    .put("type", "response.output_item.added").put("output_index", 0).set("item", item)));
            sse.event("response.content_part.added", seq.stamp(Json.object()
                    .put("type", "response.content_part.added").put("item_id", itemId).put("output_index", 0)
                    .put("content_index", 0).set("part", outputText(""))));
            Pacer.run(text.work(), text.pace(), Pacer.words(text.text()),
                    (piece, last) -> sse.event("response.output_text.delta", seq.stamp(Json.object()
                            .put("type", "response.output_text.delta").put("item_id", itemId)
                            .put("output_index", 0).put("content_index", 0).put("delta", piece))),
                    () -> sse.comment("keep-alive"));
            sse.event("response.output_text.done", seq.stamp(Json.object()
                    .put("type", "response.output_text.done").put("item_id", itemId).put("output_index", 0)
                    .put("content_index", 0).put("text", text.text())));
            sse.event("response.content_part.done", seq.stamp(Json.object()
                    .put("type", "response.content_part.done").put("item_id", itemId).put("output_index", 0)
                    .put("content_index", 0).set("part", outputText(text.text()))));
            ObjectNode done = item.deepCopy().put("status", "completed");
            done.withArray("content").add(outputText(text.text()));
            sse.event("response.output_item.done", seq.stamp(Json.object()
                    .put("type", "response.output_item.done").put("output_index", 0).set("item", done)));
            completed(sse, seq, responseId, turn, done, text.inputTokens(), Pacer.words(text.text()).size());
        }
    }

    private void streamShellCall(HttpExchange exchange, Turn turn, Reply.ShellCall call) throws IOException {
        String responseId = "resp_mock" + next();
        ShellTool tool = ShellTool.offeredBy(turn.body().path("tools"));
        ObjectNode item = tool.call("fc_mock" + next(), "call_mock" + next(), call.command());
        Sequence seq = new Sequence();
        try (SseWriter sse = new SseWriter(exchange)) {
            sse.event("response.created", seq.stamp(Json.object().put("type", "response.created")
                    .set("response", response(responseId, turn, "in_progress"))));
            Pacer.run(call.work(), List.of(), (piece, last) -> { }, () -> sse.comment("keep-alive"));
            sse.event("response.output_item.added", seq.stamp(Json.object()
                    .put("type", "response.output_item.added").put("output_index", 0).set("item", item)));
            sse.event("response.output_item.done", seq.stamp(Json.object()
                    .put("type", "response.output_item.done").put("output_index", 0).set("item", item)));
            completed(sse, seq, responseId, turn, item, call.inputTokens(), 20);
        }
    }

    private void completed(SseWriter sse, Sequence seq, String responseId, Turn turn, JsonNode item,
            long inputTokens, long outputTokens) throws IOException {
        ObjectNode response = response(responseId, turn, "completed");
        response.withArray("output").add(item);
        ObjectNode usage = Json.object().put("input_tokens", inputTokens);
        usage.set("input_tokens_details", Json.object().put("cached_tokens", 0));
        usage.put("output_tokens", outputTokens);
        usage.set("output_tokens_details", Json.object().put("reasoning_tokens", 0));
        usage.put("total_tokens", inputTokens + outputTokens);
        response.set("usage", usage);
        sse.event("response.completed", seq.stamp(Json.object().put("type", "response.completed")
                .set("response", response)));
    }

    private static ObjectNode response(String id, Turn turn, String status) {
        ObjectNode response = Json.object().put("id", id).put("object", "response")
                .put("created_at", Instant.now().getEpochSecond()).put("status", status)
                .put("model", turn.model());
        response.set("output", Json.array());
        return response;
    }

    private static ObjectNode outputText(String text) {
        ObjectNode part = Json.object().put("type", "output_text").put("text", text);
        part.set("annotations", Json.array());
        return part;
    }

    /** {@code {"error":{"message","type","param","code"}}} with {@code retry-after}. */
    private static void fail(HttpExchange exchange, int status, Duration retryAfter) throws IOException {
        exchange.getResponseHeaders().set("retry-after", Long.toString(Math.max(0, retryAfter.toSeconds())));
        String type = switch (status) {
            case 400 -> "invalid_request_error";
            case 401 -> "invalid_api_key";
            case 429 -> "rate_limit_exceeded";
            default -> "server_error";
        };
        ObjectNode error = Json.object().put("message", "Mock error " + status).put("type", type)
                .putNull("param").put("code", type);
        Json.send(exchange, status, Json.object().set("error", error));
    }

    /** A 429 whose error type is {@code usage_limit_reached}: Codex shows "You've hit your usage limit." */
    private static void usageLimit(HttpExchange exchange, Duration retryAfter, Duration resets) throws IOException {
        long resetsIn = resets.toSeconds();
        exchange.getResponseHeaders().set("retry-after", Long.toString(Math.max(0, retryAfter.toSeconds())));
        ObjectNode error = Json.object()
                .put("type", "usage_limit_reached")
                .put("message", "The usage limit has been reached")
                .put("plan_type", "plus")
                .put("resets_at", Instant.now().getEpochSecond() + resetsIn)
                .put("resets_in_seconds", resetsIn);
        Json.send(exchange, 429, Json.object().set("error", error));
    }

    private long next() {
        return ids.incrementAndGet();
    }

    /** Numbers the events of one stream ({@code sequence_number}). */
    private static final class Sequence {
        private long next;

        ObjectNode stamp(ObjectNode event) {
            return event.put("sequence_number", next++);
        }
    }

    /**
     * The shell tool a request offers, and how to call it: Codex offers one of {@code shell_command}
     * ({@code command}: a string), {@code exec_command} ({@code cmd}: a string), {@code shell}
     * ({@code command}: an argv array) or the built-in {@code local_shell}.
     */
    record ShellTool(String name, String commandParameter, boolean argv, boolean local, JsonNode parameters) {

        private static final List<String> PREFERRED = List.of("shell_command", "exec_command", "shell");

        static ShellTool offeredBy(JsonNode tools) {
            for (String wanted : PREFERRED) {
                for (JsonNode tool : Json.elements(tools)) {
                    if (wanted.equals(tool.path("name").asText())) {
                        return fromFunction(tool);
                    }
                }
            }
            for (JsonNode tool : Json.elements(tools)) {
                if ("local_shell".equals(tool.path("type").asText())) {
                    return new ShellTool("local_shell", "command", true, true, Json.object());
                }
            }
            return new ShellTool("shell", "command", true, false, Json.object());
        }

        private static ShellTool fromFunction(JsonNode tool) {
            JsonNode properties = tool.path("parameters").path("properties");
            String parameter = properties.has("cmd") ? "cmd" : "command";
            boolean argv = "array".equals(properties.path(parameter).path("type").asText());
            return new ShellTool(tool.path("name").asText(), parameter, argv, false, tool.path("parameters"));
        }

        ObjectNode call(String itemId, String callId, String command) {
            if (local) {
                ObjectNode exec = Json.object().put("type", "exec");
                exec.set("command", argv(command));
                return Json.object().put("type", "local_shell_call").put("id", itemId).put("call_id", callId)
                        .put("status", "completed").set("action", exec);
            }
            ObjectNode arguments = Json.object();
            if (argv) {
                arguments.set(commandParameter, argv(command));
            } else {
                arguments.put(commandParameter, command);
            }
            JsonNode properties = parameters.path("properties");
            if (properties.has("sandbox_permissions")) {
                // Asks to run outside the sandbox, which Codex always puts to the user (approval policy on-request).
                arguments.put("sandbox_permissions", "require_escalated");
                if (properties.has("justification")) {
                    arguments.put("justification", "The mock model wants to run " + command + ".");
                }
            }
            return Json.object().put("type", "function_call").put("id", itemId).put("call_id", callId)
                    .put("name", name).put("arguments", Json.write(arguments)).put("status", "completed");
        }

        private static ArrayNode argv(String command) {
            return Json.array().add("bash").add("-lc").add(command);
        }
    }
}
