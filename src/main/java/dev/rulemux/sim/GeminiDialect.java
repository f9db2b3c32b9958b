package dev.rulemux.sim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The Gemini API as Gemini CLI uses it: {@code POST /v1beta/models/MODEL:generateContent} (its model
 * router and other JSON side calls), {@code :streamGenerateContent?alt=sse} (the agent's turns) and
 * {@code :countTokens}.
 *
 * <p>The stream is {@code data:} lines only: Gemini CLI's client reads nothing else, and an SSE comment
 * line (a keep-alive) makes it drop the rest of the stream and retry. So a slow reply is plain silence.
 *
 * <p>The prompt: the user's turn is a {@code contents} entry with role {@code user} whose {@code parts}
 * hold {@code text}; the prompt is the last text part of the last user entry that has one (a tool result
 * is a {@code functionResponse} part and has none).
 */
final class GeminiDialect implements Dialect {

    private static final Pattern MODEL_CALL = Pattern.compile("/v1(?:beta|alpha)?/models/([^/:]+):(\\w+)");
    private static final String SHELL_TOOL = "run_shell_command";

    @Override
    public String api() {
        return "gemini";
    }

    @Override
    public boolean serves(String method, String path) {
        Matcher m = MODEL_CALL.matcher(path);
        return "POST".equals(method) && m.matches()
                && List.of("generateContent", "streamGenerateContent", "countTokens").contains(m.group(2));
    }

    @Override
    public Turn read(String path, JsonNode body) {
        Matcher m = MODEL_CALL.matcher(path);
        String model = m.matches() ? m.group(1) : "gemini-mock";
        boolean stream = m.matches() && m.group(2).equals("streamGenerateContent");
        JsonNode contents = body.path("contents");
        JsonNode last = contents.path(contents.size() - 1);
        boolean toolResult = false;
        for (JsonNode part : Json.elements(last.path("parts"))) {
            toolResult |= part.has("functionResponse");
        }
        boolean agentTurn = false;
        for (JsonNode tool : Json.elements(body.path("tools"))) {
            agentTurn |= tool.path("functionDeclarations").size() > 0;
        }
        JsonNode config = body.path("generationConfig");
        Optional<JsonNode> schema = Optional.empty();
        if ("application/json".equals(config.path("responseMimeType").asText())) {
            schema = Optional.of(config.has("responseJsonSchema") ? config.path("responseJsonSchema")
                    : config.path("responseSchema"));
        }
        return new Turn(lastUserText(contents), agentTurn, toolResult, stream, model, schema, body);
    }

    static String lastUserText(JsonNode contents) {
        for (int i = contents.size() - 1; i >= 0; i--) {
            JsonNode content = contents.get(i);
            if (!"user".equals(content.path("role").asText("user"))) {
                continue;
            }
            String text = null;
            for (JsonNode part : Json.elements(content.path("parts"))) {
                if (part.has("text") && !part.path("thought").asBoolean(false)) {
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
        String path = exchange.getRequestURI().getPath();
        if (path.endsWith(":countTokens")) {
            long tokens = reply instanceof Reply.Text text ? text.inputTokens() : Script.DEFAULT_TOKENS;
            Json.send(exchange, 200, Json.object().put("totalTokens", tokens));
        } else if (reply instanceof Reply.Failure failure) {
            fail(exchange, failure.status(), failure.retryAfter(), false);
        } else if (reply instanceof Reply.UsageLimit limit) {
            fail(exchange, 429, limit.retryAfter(), true);
        } else if (reply instanceof Reply.Text text) {
            if (turn.stream()) {
                streamText(exchange, turn, text);
            } else {
                Json.send(exchange, 200, chunk(List.of(textPart(text.text())), turn, text.inputTokens(), true));
            }
        } else if (reply instanceof Reply.ShellCall call) {
            ObjectNode functionCall = Json.object().put("name", SHELL_TOOL);
            functionCall.set("args", Json.object().put("command", call.command())
                    .put("description", "Run " + call.command()));
            List<JsonNode> parts = List.of(Json.object().set("functionCall", functionCall));
            if (turn.stream()) {
                try (SseWriter sse = new SseWriter(exchange)) {
                    Pacer.run(call.work(), List.of(), (piece, last) -> { }, () -> { });
                    sse.data(chunk(parts, turn, call.inputTokens(), true));
                }
            } else {
                Json.send(exchange, 200, chunk(parts, turn, call.inputTokens(), true));
            }
        }
    }

    private void streamText(HttpExchange exchange, Turn turn, Reply.Text text) throws IOException {
        List<String> pieces = text.text().isEmpty() ? List.of("") : Pacer.words(text.text());
        try (SseWriter sse = new SseWriter(exchange)) {
            Pacer.run(text.work(), text.pace(), pieces,
                    (piece, last) -> sse.data(chunk(List.of(textPart(piece)), turn, text.inputTokens(), last)),
                    () -> { });
        }
    }

    /** One {@code GenerateContentResponse}; the last carries {@code finishReason} and {@code usageMetadata}. */
    private static ObjectNode chunk(List<JsonNode> parts, Turn turn, long inputTokens, boolean last) {
        ObjectNode content = Json.object().put("role", "model");
        ArrayNode partArray = content.putArray("parts");
        parts.forEach(partArray::add);
        ObjectNode candidate = Json.object();
        candidate.set("content", content);
        candidate.put("index", 0);
        if (last) {
            candidate.put("finishReason", "STOP");
        }
        ObjectNode response = Json.object();
        response.putArray("candidates").add(candidate);
        long output = 20;
        ObjectNode usage = Json.object().put("promptTokenCount", inputTokens);
        if (last) {
            usage.put("candidatesTokenCount", output).put("totalTokenCount", inputTokens + output);
        }
        response.set("usageMetadata", usage);
        response.put("modelVersion", turn.model());
        response.put("responseId", "mock-" + System.nanoTime());
        return response;
    }

    private static ObjectNode textPart(String text) {
        return Json.object().put("text", text);
    }

    /**
     * A Google API error: {@code {"error":{"code","message","status","details"}}} with {@code retry-after}.
     * A usage limit is a 429 whose {@code QuotaFailure} names a per-day quota, which Gemini CLI treats as
     * terminal ("Usage limit reached for MODEL.").
     */
    private static void fail(HttpExchange exchange, int status, Duration retryAfter, boolean usageLimit)
            throws IOException {
        exchange.getResponseHeaders().set("retry-after", Long.toString(Math.max(0, retryAfter.toSeconds())));
        ObjectNode error = Json.object().put("code", status)
                .put("message", usageLimit ? "You exceeded your current quota, please check your plan and billing details."
                        : "Mock error " + status)
                .put("status", googleStatus(status));
        ArrayNode details = error.putArray("details");
        if (usageLimit) {
            ObjectNode violation = Json.object()
                    .put("quotaMetric", "generativelanguage.googleapis.com/generate_content_free_tier_requests")
                    .put("quotaId", "GenerateRequestsPerDayPerProjectPerModel-FreeTier");
            ObjectNode quotaFailure = Json.object().put("@type", "type.googleapis.com/google.rpc.QuotaFailure");
            quotaFailure.putArray("violations").add(violation);
            details.add(quotaFailure);
        } else if (status == 429) {
            details.add(Json.object().put("@type", "type.googleapis.com/google.rpc.RetryInfo")
                    .put("retryDelay", Math.max(0, retryAfter.toSeconds()) + "s"));
        }
        Json.send(exchange, status, Json.object().set("error", error));
    }

    static String googleStatus(int status) {
        return switch (status) {
            case 400 -> "INVALID_ARGUMENT";
            case 401 -> "UNAUTHENTICATED";
            case 403 -> "PERMISSION_DENIED";
            case 404 -> "NOT_FOUND";
            case 429 -> "RESOURCE_EXHAUSTED";
            case 499 -> "CANCELLED";
            case 503 -> "UNAVAILABLE";
            case 504 -> "DEADLINE_EXCEEDED";
            default -> "INTERNAL";
        };
    }
}
