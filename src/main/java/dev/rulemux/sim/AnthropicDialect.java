package dev.rulemux.sim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The Anthropic Messages API as Claude Code uses it: {@code POST /v1/messages} (streamed or not) and
 * {@code POST /v1/messages/count_tokens}.
 *
 * <p>The prompt: Claude Code sends the user's turn as a list of content blocks, the context it adds
 * (CLAUDE.md, reminders) as text blocks wrapped in {@code <system-reminder>…</system-reminder>}. The
 * prompt is the last text block of the last user message that is not such a reminder. A message that
 * is a plain string (as later turns are) is taken whole. A message that holds only tool results has no
 * prompt: the prompt is then that of the user message before it.
 *
 * <p>Claude Code 2.1.332 sends a paste that its input box collapsed ({@code [Pasted text #1 +24 lines]}) wrapped:
 * {@code \n<pasted_content id="4c47">\nTEXT\n</pasted_content id="4c47">\n}. The prompt is the text as it was
 * pasted, so each such wrapper is replaced by what it holds (the text inside is not touched).
 */
final class AnthropicDialect implements Dialect {

    private static final String MESSAGES = "/v1/messages";
    private static final String COUNT_TOKENS = "/v1/messages/count_tokens";
    private static final String REMINDER = "<system-reminder>";
    private static final java.util.regex.Pattern PASTED = java.util.regex.Pattern.compile(
            "\\n?<pasted_content id=\"([^\"\\n]{1,64})\">\\n(.*?)\\n</pasted_content id=\"\\1\">\\n?",
            java.util.regex.Pattern.DOTALL);

    private final AtomicLong ids = new AtomicLong();

    @Override
    public String api() {
        return "anthropic";
    }

    @Override
    public boolean serves(String method, String path) {
        return "POST".equals(method) && (MESSAGES.equals(path) || COUNT_TOKENS.equals(path));
    }

    @Override
    public Turn read(String path, JsonNode body) {
        JsonNode messages = body.path("messages");
        boolean toolResult = hasBlock(lastUserMessage(messages), "tool_result");
        boolean agentTurn = !COUNT_TOKENS.equals(path) && body.path("tools").size() > 0;
        JsonNode format = body.path("output_config").path("format");
        Optional<JsonNode> schema = "json_schema".equals(format.path("type").asText())
                ? Optional.of(format.path("schema")) : Optional.empty();
        return new Turn(lastUserText(messages), agentTurn, toolResult, body.path("stream").asBoolean(false),
                body.path("model").asText("claude-mock"), schema, body);
    }

    /** Claude Code may put a {@code system} message after the user's, so the last message is not always it. */
    private static JsonNode lastUserMessage(JsonNode messages) {
        for (int i = messages.size() - 1; i >= 0; i--) {
            if ("user".equals(messages.get(i).path("role").asText())) {
                return messages.get(i);
            }
        }
        return Json.object();
    }

    /** The user's own text of the last user message that has any (a tool result has none). */
    static String lastUserText(JsonNode messages) {
        for (int i = messages.size() - 1; i >= 0; i--) {
            JsonNode message = messages.get(i);
            if (!"user".equals(message.path("role").asText())) {
                continue;
            }
            JsonNode content = message.path("content");
            if (content.isTextual()) {
                return unwrapPastes(content.asText());
            }
            String text = null;
            for (JsonNode block : Json.elements(content)) {
                String blockText = block.path("text").asText("");
                if ("text".equals(block.path("type").asText()) && !blockText.stripLeading().startsWith(REMINDER)) {
                    text = blockText;
                }
            }
            if (text != null) {
                return unwrapPastes(text);
            }
        }
        return "";
    }

    /** The text as the user pasted it: each {@code <pasted_content id="…">} wrapper replaced by what it holds. */
    static String unwrapPastes(String text) {
        if (!text.contains("<pasted_content id=\"")) {
            return text;
        }
        return PASTED.matcher(text).replaceAll(m -> java.util.regex.Matcher.quoteReplacement(m.group(2)));
    }

    private static boolean hasBlock(JsonNode message, String type) {
        for (JsonNode block : Json.elements(message.path("content"))) {
            if (type.equals(block.path("type").asText())) {
                return true;
            }
        }
        return false;
    }

    @Override
    public void answer(HttpExchange exchange, Turn turn, Reply reply) throws IOException {
        if (exchange.getRequestURI().getPath().equals(COUNT_TOKENS)) {
            long tokens = reply instanceof Reply.Text text ? text.inputTokens() : Script.DEFAULT_TOKENS;
            Json.send(exchange, 200, Json.object().put("input_tokens", tokens));
            return;
        }
        if (reply instanceof Reply.Failure failure) {
            fail(exchange, failure.status(), failure.retryAfter(), null);
        } else if (reply instanceof Reply.UsageLimit limit) {
            fail(exchange, 429, limit.retryAfter(), limit.resetsIn());
        } else if (reply instanceof Reply.Text text) {
            if (turn.stream()) {
                streamText(exchange, turn, text);
            } else {
                Json.send(exchange, 200, wholeMessage(turn, text));
            }
        } else if (reply instanceof Reply.ShellCall call) {
            if (turn.stream()) {
                streamShellCall(exchange, turn, call);
            } else {
                Json.send(exchange, 200, wholeShellCall(turn, call));
            }
        }
    }

    private void streamText(HttpExchange exchange, Turn turn, Reply.Text text) throws IOException {
        try (SseWriter sse = new SseWriter(exchange)) {
            sse.event("message_start", messageStart(turn, text.inputTokens()));
            sse.event("content_block_start", Json.object().put("type", "content_block_start").put("index", 0)
                    .set("content_block", Json.object().put("type", "text").put("text", "")));
            List<String> pieces = Pacer.words(text.text());
            Pacer.run(text.work(), text.pace(), pieces,
                    (piece, last) -> sse.event("content_block_delta", delta(0, Json.object()
                            .put("type", "text_delta").put("text", piece))),
                    () -> sse.event("ping", Json.object().put("type", "ping")));
            sse.event("content_block_stop", Json.object().put("type", "content_block_stop").put("index", 0));
            finish(sse, "end_turn", pieces.size());
        }
    }

    private void streamShellCall(HttpExchange exchange, Turn turn, Reply.ShellCall call) throws IOException {
        String input = Json.write(shellInput(call.command()));
        try (SseWriter sse = new SseWriter(exchange)) {
            sse.event("message_start", messageStart(turn, call.inputTokens()));
            sse.event("content_block_start", Json.object().put("type", "content_block_start").put("index", 0)
                    .set("content_block", Json.object().put("type", "tool_use").put("id", "toolu_mock" + next())
                            .put("name", shellToolName(turn)).set("input", Json.object())));
            Pacer.run(call.work(), halves(input),
                    (piece, last) -> sse.event("content_block_delta", delta(0, Json.object()
                            .put("type", "input_json_delta").put("partial_json", piece))),
                    () -> sse.event("ping", Json.object().put("type", "ping")));
            sse.event("content_block_stop", Json.object().put("type", "content_block_stop").put("index", 0));
            finish(sse, "tool_use", 20);
        }
    }

    private static void finish(SseWriter sse, String stopReason, long outputTokens) throws IOException {
        ObjectNode messageDelta = Json.object().put("type", "message_delta");
        messageDelta.set("delta", Json.object().put("stop_reason", stopReason).putNull("stop_sequence"));
        messageDelta.set("usage", Json.object().put("output_tokens", outputTokens));
        sse.event("message_delta", messageDelta);
        sse.event("message_stop", Json.object().put("type", "message_stop"));
    }

    private ObjectNode messageStart(Turn turn, long inputTokens) {
        ObjectNode message = message(turn, inputTokens, 1);
        message.putNull("stop_reason");
        return Json.object().put("type", "message_start").set("message", message);
    }

    private ObjectNode message(Turn turn, long inputTokens, long outputTokens) {
        ObjectNode message = Json.object()
                .put("id", "msg_mock" + next())
                .put("type", "message")
                .put("role", "assistant")
                .put("model", turn.model());
        message.set("content", Json.array());
        message.putNull("stop_sequence");
        message.set("usage", Json.object()
                .put("input_tokens", inputTokens)
                .put("cache_creation_input_tokens", 0)
                .put("cache_read_input_tokens", 0)
                .put("output_tokens", outputTokens));
        return message;
    }

    private ObjectNode wholeMessage(Turn turn, Reply.Text text) {
        ObjectNode message = message(turn, text.inputTokens(), Pacer.words(text.text()).size());
        message.withArray("content").add(Json.object().put("type", "text").put("text", text.text()));
        message.put("stop_reason", "end_turn");
        return message;
    }

    private ObjectNode wholeShellCall(Turn turn, Reply.ShellCall call) {
        ObjectNode message = message(turn, call.inputTokens(), 20);
        message.withArray("content").add(Json.object().put("type", "tool_use").put("id", "toolu_mock" + next())
                .put("name", shellToolName(turn)).set("input", shellInput(call.command())));
        message.put("stop_reason", "tool_use");
        return message;
    }

    private static ObjectNode delta(int index, ObjectNode delta) {
        return Json.object().put("type", "content_block_delta").put("index", index).set("delta", delta);
    }

    private static ObjectNode shellInput(String command) {
        return Json.object().put("command", command).put("description", "Run " + command);
    }

    /** {@code Bash} when the request offers it, else the first tool whose name mentions a shell. */
    private static String shellToolName(Turn turn) {
        String fallback = "Bash";
        for (JsonNode tool : Json.elements(turn.body().path("tools"))) {
            String name = tool.path("name").asText();
            if (name.equals("Bash")) {
                return name;
            }
            if (fallback.equals("Bash") && name.toLowerCase().matches(".*(bash|shell).*")) {
                fallback = name;
            }
        }
        return fallback;
    }

    private static List<String> halves(String json) {
        int mid = json.length() / 2;
        return new ArrayList<>(List.of(json.substring(0, mid), json.substring(mid)));
    }

    /**
     * An error answer: {@code {"type":"error","error":{"type":…,"message":…}}} with {@code retry-after}.
     * A usage limit is a 429 with the {@code anthropic-ratelimit-unified-*} headers saying "rejected",
     * which Claude Code reads only when it is logged in to a Claude subscription.
     */
    private static void fail(HttpExchange exchange, int status, Duration retryAfter, Duration usageLimitResetsIn)
            throws IOException {
        boolean usageLimit = usageLimitResetsIn != null;
        var headers = exchange.getResponseHeaders();
        headers.set("retry-after", Long.toString(Math.max(0, retryAfter.toSeconds())));
        headers.set("request-id", "req_mock" + System.nanoTime());
        String message = usageLimit ? "This request would exceed your account's rate limit. Please try again later."
                : "Mock error " + status;
        if (usageLimit) {
            long resetsAt = Instant.now().plus(usageLimitResetsIn).getEpochSecond();
            headers.set("anthropic-ratelimit-unified-status", "rejected");
            headers.set("anthropic-ratelimit-unified-reset", Long.toString(resetsAt));
            headers.set("anthropic-ratelimit-unified-representative-claim", "five_hour");
            headers.set("anthropic-ratelimit-unified-5h-status", "rejected");
            headers.set("anthropic-ratelimit-unified-5h-reset", Long.toString(resetsAt));
            headers.set("anthropic-ratelimit-unified-5h-utilization", "1.0");
            headers.set("anthropic-ratelimit-unified-overage-status", "rejected");
            headers.set("anthropic-ratelimit-unified-overage-disabled-reason", "org_level_disabled");
        }
        ObjectNode body = Json.object().put("type", "error");
        body.set("error", Json.object().put("type", errorType(status)).put("message", message));
        Json.send(exchange, status, body);
    }

    static String errorType(int status) {
        return switch (status) {
            case 400 -> "invalid_request_error";
            case 401 -> "authentication_error";
            case 402 -> "billing_error";
            case 403 -> "permission_error";
            case 404 -> "not_found_error";
            case 413 -> "request_too_large";
            case 429 -> "rate_limit_error";
            case 504 -> "timeout_error";
            case 529 -> "overloaded_error";
            default -> "api_error";
        };
    }

    private long next() {
        return ids.incrementAndGet();
    }
}
