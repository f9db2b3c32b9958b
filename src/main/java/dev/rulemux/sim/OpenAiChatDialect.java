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
 * The OpenAI Chat Completions API, as OpenAI-compatible providers serve it to Qwen Code and opencode:
 * {@code POST /v1/chat/completions} (or {@code /chat/completions} under a base URL without {@code /v1}), answered
 * as server-sent {@code data:} chunks ending in {@code data: [DONE]} when {@code stream} is set, else as one JSON object.
 *
 * <p>The prompt is the text of the last {@code user} message (its {@code content} a string, or the last {@code text}
 * part of an array); a request whose last message has role {@code tool} carries a tool result. A request that offers
 * {@code tools} is an agent turn.
 */
final class OpenAiChatDialect implements Dialect {

    private static final List<String> PATHS = List.of("/v1/chat/completions", "/chat/completions");
    /** The shell tools the CLIs offer, by name, and the parameter that takes the command. */
    private static final List<String> SHELL_TOOLS = List.of("run_shell_command", "bash", "shell", "Bash");

    private final AtomicLong ids = new AtomicLong();

    @Override
    public String api() {
        return "openai-chat";
    }

    @Override
    public boolean serves(String method, String path) {
        return "POST".equals(method) && PATHS.contains(path);
    }

    @Override
    public Turn read(String path, JsonNode body) {
        JsonNode messages = body.path("messages");
        JsonNode last = messages.path(messages.size() - 1);
        boolean toolResult = "tool".equals(last.path("role").asText());
        JsonNode format = body.path("response_format");
        Optional<JsonNode> schema = "json_schema".equals(format.path("type").asText())
                ? Optional.of(format.path("json_schema").path("schema"))
                : "json_object".equals(format.path("type").asText()) ? Optional.of(Json.object().put("type", "object"))
                : Optional.empty();
        return new Turn(lastUserText(messages), body.path("tools").size() > 0, toolResult, body.path("stream").asBoolean(false),
                body.path("model").asText("gpt-mock"), schema, body);
    }

    static String lastUserText(JsonNode messages) {
        for (int i = messages.size() - 1; i >= 0; i--) {
            JsonNode message = messages.get(i);
            if (!"user".equals(message.path("role").asText())) {
                continue;
            }
            JsonNode content = message.path("content");
            if (content.isTextual()) {
                return content.asText();
            }
            String text = null;
            for (JsonNode part : Json.elements(content)) {
                if ("text".equals(part.path("type").asText()) && part.has("text")) {
                    text = part.path("text").asText();
                }
            }
            if (text != null) {
                return text;
            }
        }
        return "";
    }

    @Override
    public void answer(HttpExchange exchange, Turn turn, Reply reply) throws IOException {
        if (reply instanceof Reply.Failure failure) {
            fail(exchange, failure.status(), failure.retryAfter(), "Mock error " + failure.status());
        } else if (reply instanceof Reply.UsageLimit limit) {
            fail(exchange, 429, limit.retryAfter(), "You exceeded your current quota, please check your plan and billing details.");
        } else if (reply instanceof Reply.Text text) {
            String id = "chatcmpl-mock" + ids.incrementAndGet();
            if (!turn.stream()) {
                ObjectNode message = Json.object().put("role", "assistant").put("content", text.text());
                Json.send(exchange, 200, completion(id, turn, message, "stop", text.inputTokens()));
                return;
            }
            List<String> pieces = text.text().isEmpty() ? List.of("") : Pacer.words(text.text());
            try (SseWriter sse = new SseWriter(exchange)) {
                sse.data(chunk(id, turn, Json.object().put("role", "assistant").put("content", ""), null));
                Pacer.run(text.work(), text.pace(), pieces,
                        (piece, lastPiece) -> sse.data(chunk(id, turn, Json.object().put("content", piece), null)),
                        () -> { });
                finish(sse, id, turn, "stop", text.inputTokens());
            }
        } else if (reply instanceof Reply.ShellCall call) {
            String id = "chatcmpl-mock" + ids.incrementAndGet();
            ObjectNode toolCall = toolCall(turn.body().path("tools"), call.command());
            if (!turn.stream()) {
                ObjectNode message = Json.object().put("role", "assistant").putNull("content");
                message.putArray("tool_calls").add(toolCall);
                Json.send(exchange, 200, completion(id, turn, message, "tool_calls", call.inputTokens()));
                return;
            }
            try (SseWriter sse = new SseWriter(exchange)) {
                Pacer.run(call.work(), List.of(), (piece, lastPiece) -> { }, () -> { });
                ObjectNode delta = Json.object().put("role", "assistant");
                delta.putArray("tool_calls").add(toolCall.deepCopy().put("index", 0));
                sse.data(chunk(id, turn, delta, null));
                finish(sse, id, turn, "tool_calls", call.inputTokens());
            }
        }
    }

    /** The last chunk (a finish reason), the usage chunk and {@code [DONE]}. */
    private static void finish(SseWriter sse, String id, Turn turn, String reason, long inputTokens) throws IOException {
        sse.data(chunk(id, turn, Json.object(), reason));
        ObjectNode usage = chunk(id, turn, null, null);
        usage.set("usage", usage(inputTokens));
        sse.data(usage);
        sse.raw("data: [DONE]\n\n");
    }

    private static ObjectNode chunk(String id, Turn turn, ObjectNode delta, String finishReason) {
        ObjectNode chunk = Json.object().put("id", id).put("object", "chat.completion.chunk")
                .put("created", Instant.now().getEpochSecond()).put("model", turn.model());
        ArrayNode choices = chunk.putArray("choices");
        if (delta != null) {
            ObjectNode choice = choices.addObject().put("index", 0);
            choice.set("delta", delta);
            if (finishReason == null) {
                choice.putNull("finish_reason");
            } else {
                choice.put("finish_reason", finishReason);
            }
        }
        return chunk;
    }

    private static ObjectNode completion(String id, Turn turn, ObjectNode message, String finishReason, long inputTokens) {
        ObjectNode out = Json.object().put("id", id).put("object", "chat.completion")
                .put("created", Instant.now().getEpochSecond()).put("model", turn.model());
        ObjectNode choice = out.putArray("choices").addObject().put("index", 0);
        choice.set("message", message);
        choice.put("finish_reason", finishReason);
        out.set("usage", usage(inputTokens));
        return out;
    }

    private static ObjectNode usage(long inputTokens) {
        return Json.object().put("prompt_tokens", inputTokens).put("completion_tokens", 20)
                .put("total_tokens", inputTokens + 20);
    }

    /** A call of the shell tool the request offers (the first of {@link #SHELL_TOOLS}, else its first tool). */
    private ObjectNode toolCall(JsonNode tools, String command) {
        String name = null;
        for (String wanted : SHELL_TOOLS) {
            for (JsonNode tool : Json.elements(tools)) {
                if (name == null && wanted.equals(tool.path("function").path("name").asText())) {
                    name = wanted;
                }
            }
        }
        if (name == null) {
            name = tools.path(0).path("function").path("name").asText("bash");
        }
        ObjectNode arguments = Json.object().put("command", command).put("description", "Run " + command);
        ObjectNode function = Json.object().put("name", name).put("arguments", Json.write(arguments));
        ObjectNode call = Json.object().put("id", "call_mock" + ids.incrementAndGet()).put("type", "function");
        call.set("function", function);
        return call;
    }

    /** {@code {"error":{"message","type","param","code"}}} with {@code retry-after}. */
    private static void fail(HttpExchange exchange, int status, Duration retryAfter, String message) throws IOException {
        exchange.getResponseHeaders().set("retry-after", Long.toString(Math.max(0, retryAfter.toSeconds())));
        String type = switch (status) {
            case 400 -> "invalid_request_error";
            case 401 -> "invalid_api_key";
            case 429 -> "rate_limit_exceeded";
            default -> "server_error";
        };
        ObjectNode error = Json.object().put("message", message).put("type", type).putNull("param").put("code", type);
        Json.send(exchange, status, Json.object().set("error", error));
    }
}
