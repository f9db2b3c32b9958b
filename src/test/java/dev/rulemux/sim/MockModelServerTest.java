package dev.rulemux.sim;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MockModelServerTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(20);

    @TempDir
    Path temp;

    private MockModelServer server;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();

    @BeforeEach
    void start() {
        server = MockModelServer.start(0, temp.resolve("requests.jsonl"));
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private HttpResponse<String> post(String path, JsonNode body) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(server.baseUrl() + path)).timeout(TIMEOUT)
                .header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(Json.write(body))).build();
        return http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    private HttpResponse<String> get(String path) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(server.baseUrl() + path)).timeout(TIMEOUT).GET().build();
        return http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    @Nested
    class Anthropic {

        private static final String PATH = "/v1/messages?beta=true";

        /** A Claude Code agent turn: context in a system-reminder block, then the user's text. */
        private ObjectNode turn(String prompt) {
            ObjectNode body = Json.object().put("model", "claude-opus-4-8").put("stream", true).put("max_tokens", 64000);
            body.putArray("tools").add(Json.object().put("name", "Read")).add(Json.object().put("name", "Bash"));
            ArrayNode content = body.putArray("messages").addObject().put("role", "user").putArray("content");
            content.addObject().put("type", "text").put("text", "<system-reminder>\nAs you answer…\n</system-reminder>\n\n");
            content.addObject().put("type", "text").put("text", prompt);
            return body;
        }

        private String text(Sse sse) {
            return sse.named("content_block_delta").stream()
                    .map(e -> e.data().path("delta").path("text").asText()).collect(Collectors.joining());
        }

        @Test
        void streams_a_text_reply_in_message_event_order_with_the_scripted_tokens() throws Exception {
            // when
            HttpResponse<String> response = post(PATH, turn("hello there [mock tokens=960000]"));

            // then
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.headers().firstValue("content-type")).hasValueSatisfying(
                    v -> assertThat(v).startsWith("text/event-stream"));
            Sse sse = Sse.parse(response.body());
            assertThat(sse.distinctNames()).containsExactly("message_start", "content_block_start",
                    "content_block_delta", "content_block_stop", "message_delta", "message_stop");
            assertThat(sse.events().get(0).data().path("message").path("usage").path("input_tokens").asLong())
                    .isEqualTo(960_000);
            assertThat(sse.named("content_block_start").get(0).data().path("content_block").path("type").asText())
                    .isEqualTo("text");
            assertThat(sse.named("content_block_delta")).allSatisfy(
                    e -> assertThat(e.data().path("delta").path("type").asText()).isEqualTo("text_delta"));
            assertThat(text(sse)).isEqualTo("Done. You said: hello there");
            assertThat(sse.named("message_delta").get(0).data().path("delta").path("stop_reason").asText())
                    .isEqualTo("end_turn");
        }

        @Test
        void records_the_users_own_text_not_the_reminder_blocks() throws Exception {
            // given
            String prompt = "  exact \"text\" with\ttab, ünïcode and $HOME \\ kept [mock]  ";

            // when
            post(PATH, turn(prompt));

            // then
            assertThat(server.requests()).singleElement().satisfies(r -> {
                assertThat(r.api()).isEqualTo("anthropic");
                assertThat(r.path()).isEqualTo(PATH);
                assertThat(r.prompt()).isEqualTo(prompt);
                assertThat(r.agentTurn()).isTrue();
                assertThat(r.toolResult()).isFalse();
                assertThat(r.script().directive()).isEqualTo("[mock]");
            });
        }

        @Test
        void a_later_turn_sent_as_a_plain_string_is_taken_whole() throws Exception {
            // given
            ObjectNode body = turn("first");
            ArrayNode messages = (ArrayNode) body.path("messages");
            messages.addObject().put("role", "assistant").put("content", "Done.");
            messages.addObject().put("role", "user").put("content", "second prompt");
            messages.addObject().put("role", "system").put("content", "Available agent types…");

            // when
            post(PATH, body);

            // then
            assertThat(server.requests()).singleElement().extracting(MockRequest::prompt).isEqualTo("second prompt");
        }

        @Test
        void a_shell_tool_call_is_a_bash_tool_use_block_that_stops_for_the_tool() throws Exception {
            // when
            Sse sse = Sse.parse(post(PATH, turn("run it [mock tool=shell]")).body());

            // then
            JsonNode block = sse.named("content_block_start").get(0).data().path("content_block");
            assertThat(block.path("type").asText()).isEqualTo("tool_use");
            assertThat(block.path("name").asText()).isEqualTo("Bash");
            assertThat(block.path("id").asText()).startsWith("toolu_");
            String json = sse.named("content_block_delta").stream()
                    .peek(e -> assertThat(e.data().path("delta").path("type").asText()).isEqualTo("input_json_delta"))
                    .map(e -> e.data().path("delta").path("partial_json").asText()).collect(Collectors.joining());
            JsonNode input = Json.read(json.getBytes(StandardCharsets.UTF_8));
            assertThat(input.path("command").asText()).isEqualTo("touch mock-tool.txt");
            assertThat(input.path("description").asText()).isNotBlank();
            assertThat(sse.named("message_delta").get(0).data().path("delta").path("stop_reason").asText())
                    .isEqualTo("tool_use");
        }

        @Test
        void the_tool_result_gets_a_short_final_text() throws Exception {
            // given
            ObjectNode body = turn("run it [mock tool=shell cmd=pwd]");
            ArrayNode messages = (ArrayNode) body.path("messages");
            messages.addObject().put("role", "assistant").putArray("content").addObject().put("type", "tool_use")
                    .put("id", "toolu_1").put("name", "Bash").set("input", Json.object().put("command", "pwd"));
            messages.addObject().put("role", "user").putArray("content").addObject().put("type", "tool_result")
                    .put("tool_use_id", "toolu_1").put("content", "/work");

            // when
            Sse sse = Sse.parse(post(PATH, body).body());

            // then
            assertThat(text(sse)).isEqualTo("Done. Ran pwd.");
            assertThat(server.requests()).singleElement().satisfies(r -> {
                assertThat(r.toolResult()).isTrue();
                assertThat(r.prompt()).isEqualTo("run it [mock tool=shell cmd=pwd]");
            });
        }

        @Test
        void a_429_carries_an_error_body_and_retry_after() throws Exception {
            // when
            HttpResponse<String> response = post(PATH, turn("go [mock status=429 retry=7s]"));

            // then
            assertThat(response.statusCode()).isEqualTo(429);
            assertThat(response.headers().firstValue("retry-after")).contains("7");
            JsonNode body = Json.read(response.body().getBytes(StandardCharsets.UTF_8));
            assertThat(body.path("type").asText()).isEqualTo("error");
            assertThat(body.path("error").path("type").asText()).isEqualTo("rate_limit_error");
            assertThat(body.path("error").path("message").asText()).isNotBlank();
        }

        @Test
        void an_overload_is_a_529_overloaded_error() throws Exception {
            // when
            HttpResponse<String> response = post(PATH, turn("go [mock status=529]"));

            // then
            assertThat(response.statusCode()).isEqualTo(529);
            assertThat(response.body()).contains("\"overloaded_error\"");
        }

        @Test
        void fail_n_fails_only_the_first_n_requests_of_the_script() throws Exception {
            // when
            List<Integer> statuses = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                statuses.add(post(PATH, turn("retry me [mock fail=2]")).statusCode());
            }

            // then
            assertThat(statuses).containsExactly(429, 429, 200, 200);
        }

        @Test
        void a_usage_limit_is_a_429_with_rejected_unified_rate_limit_headers() throws Exception {
            // when
            HttpResponse<String> response = post(PATH, turn("go [mock limit=usage]"));

            // then
            assertThat(response.statusCode()).isEqualTo(429);
            assertThat(response.headers().firstValue("anthropic-ratelimit-unified-status")).contains("rejected");
            assertThat(response.headers().firstValue("anthropic-ratelimit-unified-reset")).isPresent();
            assertThat(response.headers().firstValue("anthropic-ratelimit-unified-representative-claim"))
                    .contains("five_hour");
        }

        @Test
        void a_side_call_without_tools_gets_a_json_title_at_once_whatever_the_directive() throws Exception {
            // given: Claude Code's session-title request
            ObjectNode body = Json.object().put("model", "claude-opus-4-8").put("stream", true);
            body.putArray("messages").addObject().put("role", "user").put("content",
                    "<session>\nbreak [mock status=429 work=5s]\n</session>\n\nWrite the title…");
            ObjectNode schema = Json.object().put("type", "object");
            schema.putObject("properties").putObject("title").put("type", "string");
            body.putObject("output_config").putObject("format").put("type", "json_schema").set("schema", schema);

            // when
            HttpResponse<String> response = post(PATH, body);

            // then: not paced over the directive's 5 s (that would send a ping on each of its 200 ms ticks)
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(Sse.parse(response.body()).named("ping")).isEmpty();
            JsonNode title = Json.read(text(Sse.parse(response.body())).getBytes(StandardCharsets.UTF_8));
            assertThat(title.path("title").asText()).isEqualTo("Mock session");
            assertThat(server.requests()).singleElement().extracting(MockRequest::agentTurn).isEqualTo(false);
        }

        @Test
        void answers_plain_json_when_not_streaming() throws Exception {
            // given
            ObjectNode body = turn("quick [mock tokens=4321]").put("stream", false);

            // when
            HttpResponse<String> response = post(PATH, body);

            // then
            JsonNode message = Json.read(response.body().getBytes(StandardCharsets.UTF_8));
            assertThat(message.path("type").asText()).isEqualTo("message");
            assertThat(message.path("content").path(0).path("text").asText()).isEqualTo("Done. You said: quick");
            assertThat(message.path("stop_reason").asText()).isEqualTo("end_turn");
            assertThat(message.path("usage").path("input_tokens").asLong()).isEqualTo(4321);
        }

        @Test
        void counts_tokens_as_a_side_call() throws Exception {
            // when
            HttpResponse<String> response = post("/v1/messages/count_tokens?beta=true", turn("count me"));

            // then
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.body()).contains("\"input_tokens\"");
            assertThat(server.requests()).singleElement().extracting(MockRequest::agentTurn).isEqualTo(false);
        }

        @Test
        void a_slow_reply_keeps_the_stream_alive_with_pings_for_the_work_time() throws Exception {
            // when
            long start = System.nanoTime();
            Sse sse = Sse.parse(post(PATH, turn("slow [mock work=1500ms]")).body());

            // then: the work time is waited out (at least; a loaded machine may take longer) in seven ticks, the
            // four words of the text on four of the last five, a ping on each of the other three
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(1400));
            assertThat(sse.named("content_block_delta")).hasSize(4);
            assertThat(sse.named("ping")).hasSize(3);
        }

        @Test
        void pace_even_streams_the_text_over_the_whole_work_time() throws Exception {
            // when
            Sse sse = Sse.parse(post(PATH, turn("stream it [mock work=2s pace=even lines=12]")).body());

            // then: a piece of text on each of the ten 200 ms ticks, from the first (no ping holds it back)
            assertThat(sse.named("content_block_delta")).as("one text delta per tick").hasSize(10);
            assertThat(sse.named("ping")).as("no tick without text").isEmpty();
            assertThat(text(sse))
                    .startsWith("Done. You said: stream it\n\n1. Line 1 of 12 of the mock model's reply.\n")
                    .endsWith("12. Line 12 of 12 of the mock model's reply.");
        }

        @Test
        void at_the_default_pace_the_text_waits_for_the_last_second() throws Exception {
            // when
            Sse sse = Sse.parse(post(PATH, turn("hold it [mock work=2s lines=12]")).body());

            // then: of the ten 200 ms ticks, the first five send a ping and the last five the text
            List<String> names = sse.names();
            assertThat(sse.named("ping")).hasSize(5);
            assertThat(sse.named("content_block_delta")).hasSize(5);
            assertThat(names.lastIndexOf("ping")).as("every ping before the first text")
                    .isLessThan(names.indexOf("content_block_delta"));
        }
    }

    @Nested
    class OpenAiResponses {

        private static final String PATH = "/v1/responses";

        /** A Codex turn: environment context as a user message, then the user's own message. */
        private ObjectNode turn(String prompt, JsonNode tools) {
            ObjectNode body = Json.object().put("model", "gpt-5").put("stream", true);
            body.set("tools", tools);
            ArrayNode input = body.putArray("input");
            input.addObject().put("type", "message").put("role", "developer").putArray("content").addObject()
                    .put("type", "input_text").put("text", "You are a coding agent…");
            input.addObject().put("type", "message").put("role", "user").putArray("content").addObject()
                    .put("type", "input_text").put("text", "<environment_context>\n  <cwd>/w</cwd>\n</environment_context>");
            input.addObject().put("type", "message").put("role", "user").putArray("content").addObject()
                    .put("type", "input_text").put("text", prompt);
            return body;
        }

        private ArrayNode execCommandTool() {
            ObjectNode tool = Json.object().put("type", "function").put("name", "exec_command");
            ObjectNode properties = tool.putObject("parameters").put("type", "object").putObject("properties");
            properties.putObject("cmd").put("type", "string");
            properties.putObject("sandbox_permissions").put("type", "string");
            properties.putObject("justification").put("type", "string");
            return Json.array().add(tool);
        }

        @Test
        void streams_a_text_reply_in_response_event_order_with_usage() throws Exception {
            // when
            HttpResponse<String> response = post(PATH, turn("hello codex [mock tokens=253400]", execCommandTool()));

            // then
            assertThat(response.statusCode()).isEqualTo(200);
            Sse sse = Sse.parse(response.body());
            assertThat(sse.distinctNames()).containsExactly("response.created", "response.output_item.added",
                    "response.content_part.added", "response.output_text.delta", "response.output_text.done",
                    "response.content_part.done", "response.output_item.done", "response.completed");
            String text = sse.named("response.output_text.delta").stream()
                    .map(e -> e.data().path("delta").asText()).collect(Collectors.joining());
            assertThat(text).isEqualTo("Done. You said: hello codex");
            JsonNode completed = sse.last().data().path("response");
            assertThat(completed.path("status").asText()).isEqualTo("completed");
            assertThat(completed.path("usage").path("input_tokens").asLong()).isEqualTo(253_400);
            assertThat(completed.path("usage").path("total_tokens").asLong()).isGreaterThan(253_400);
            assertThat(completed.path("output").path(0).path("content").path(0).path("text").asText()).isEqualTo(text);
            List<Long> sequence = sse.events().stream().map(e -> e.data().path("sequence_number").asLong()).toList();
            assertThat(sequence).isSorted().doesNotHaveDuplicates();
        }

        @Test
        void records_the_users_message_not_the_environment_context() throws Exception {
            // when
            post(PATH, turn("what is in here? [mock]", execCommandTool()));

            // then
            assertThat(server.requests()).singleElement().satisfies(r -> {
                assertThat(r.api()).isEqualTo("openai");
                assertThat(r.prompt()).isEqualTo("what is in here? [mock]");
                assertThat(r.agentTurn()).isTrue();
            });
        }

        @Test
        void a_shell_tool_call_uses_exec_command_and_asks_to_leave_the_sandbox() throws Exception {
            // when
            Sse sse = Sse.parse(post(PATH, turn("run [mock tool=shell]", execCommandTool())).body());

            // then
            JsonNode item = sse.named("response.output_item.done").get(0).data().path("item");
            assertThat(item.path("type").asText()).isEqualTo("function_call");
            assertThat(item.path("name").asText()).isEqualTo("exec_command");
            assertThat(item.path("call_id").asText()).isNotBlank();
            JsonNode arguments = Json.read(item.path("arguments").asText().getBytes(StandardCharsets.UTF_8));
            assertThat(arguments.path("cmd").asText()).isEqualTo("touch mock-tool.txt");
            assertThat(arguments.path("sandbox_permissions").asText()).isEqualTo("require_escalated");
            assertThat(arguments.path("justification").asText()).isNotBlank();
            assertThat(sse.last().data().path("response").path("output").path(0).path("type").asText())
                    .isEqualTo("function_call");
        }

        @Test
        void an_older_shell_tool_gets_an_argv_array() throws Exception {
            // given
            ObjectNode tool = Json.object().put("type", "function").put("name", "shell");
            tool.putObject("parameters").putObject("properties").putObject("command").put("type", "array");

            // when
            Sse sse = Sse.parse(post(PATH, turn("run [mock tool=shell cmd=ls]", Json.array().add(tool))).body());

            // then
            JsonNode item = sse.named("response.output_item.done").get(0).data().path("item");
            assertThat(item.path("name").asText()).isEqualTo("shell");
            assertThat(item.path("arguments").asText()).isEqualTo("{\"command\":[\"bash\",\"-lc\",\"ls\"]}");
        }

        @Test
        void the_function_call_output_gets_a_short_final_text() throws Exception {
            // given
            ObjectNode body = turn("run [mock tool=shell]", execCommandTool());
            ((ArrayNode) body.path("input")).addObject().put("type", "function_call").put("call_id", "c1")
                    .put("name", "exec_command").put("arguments", "{}");
            ((ArrayNode) body.path("input")).addObject().put("type", "function_call_output").put("call_id", "c1")
                    .put("output", "Process exited with code 0");

            // when
            Sse sse = Sse.parse(post(PATH, body).body());

            // then
            assertThat(sse.named("response.output_text.done").get(0).data().path("text").asText())
                    .isEqualTo("Done. Ran touch mock-tool.txt.");
            assertThat(server.requests()).singleElement().extracting(MockRequest::toolResult).isEqualTo(true);
        }

        @Test
        void a_usage_limit_is_a_429_usage_limit_reached_error() throws Exception {
            // when
            HttpResponse<String> response = post(PATH, turn("go [mock limit=usage]", execCommandTool()));

            // then
            assertThat(response.statusCode()).isEqualTo(429);
            JsonNode error = Json.read(response.body().getBytes(StandardCharsets.UTF_8)).path("error");
            assertThat(error.path("type").asText()).isEqualTo("usage_limit_reached");
            assertThat(error.path("resets_at").asLong()).isPositive();
        }

        @Test
        void a_429_is_a_rate_limit_exceeded_error_with_retry_after() throws Exception {
            // when
            HttpResponse<String> response = post(PATH, turn("go [mock status=429]", execCommandTool()));

            // then
            assertThat(response.statusCode()).isEqualTo(429);
            assertThat(response.headers().firstValue("retry-after")).contains("1");
            assertThat(response.body()).contains("\"code\":\"rate_limit_exceeded\"");
        }

        @Test
        void a_title_request_without_tools_gets_json_for_its_schema() throws Exception {
            // given
            ObjectNode body = turn("Generate a concise, single-line task title…", Json.array());
            ObjectNode schema = Json.object().put("type", "object");
            schema.putObject("properties").putObject("title").put("type", "string");
            body.putObject("text").putObject("format").put("type", "json_schema").set("schema", schema);

            // when
            Sse sse = Sse.parse(post(PATH, body).body());

            // then
            assertThat(sse.named("response.output_text.done").get(0).data().path("text").asText())
                    .isEqualTo("{\"title\":\"Mock session\"}");
            assertThat(server.requests()).singleElement().extracting(MockRequest::agentTurn).isEqualTo(false);
        }

        @Test
        void pace_even_streams_the_text_over_the_whole_work_time() throws Exception {
            // when
            Sse sse = Sse.parse(post(PATH, turn("stream it [mock work=2s pace=even lines=12]", execCommandTool())).body());

            // then: a piece of text on each of the ten 200 ms ticks, no keep-alive among them
            assertThat(sse.named("response.output_text.delta")).as("one text delta per tick").hasSize(10);
            assertThat(sse.comments()).as("no tick without text").isZero();
        }
    }

    @Nested
    class Gemini {

        private static final String STREAM = "/v1beta/models/gemini-3.1-pro-preview:streamGenerateContent?alt=sse";
        private static final String GENERATE = "/v1beta/models/gemini-3.5-flash-lite:generateContent";

        /** A Gemini CLI turn: session context as one user entry, the user's text as the last. */
        private ObjectNode turn(String prompt) {
            ObjectNode body = Json.object();
            ArrayNode contents = body.putArray("contents");
            contents.addObject().put("role", "user").putArray("parts").addObject()
                    .put("text", "<session_context>\nThis is the Gemini CLI.\n</session_context>");
            contents.addObject().put("role", "user").putArray("parts").addObject().put("text", prompt);
            body.putArray("tools").addObject().putArray("functionDeclarations").addObject()
                    .put("name", "run_shell_command");
            return body;
        }

        @Test
        void streams_data_lines_the_last_with_stop_and_usage() throws Exception {
            // when
            HttpResponse<String> response = post(STREAM, turn("hello gemini [mock work=1s tokens=943800]"));

            // then
            assertThat(response.statusCode()).isEqualTo(200);
            Sse sse = Sse.parse(response.body());
            assertThat(sse.comments()).as("Gemini CLI's client chokes on SSE comments").isZero();
            assertThat(sse.names()).containsOnlyNulls();
            String text = sse.events().stream()
                    .map(e -> e.data().path("candidates").path(0).path("content").path("parts").path(0).path("text").asText())
                    .collect(Collectors.joining());
            assertThat(text).isEqualTo("Done. You said: hello gemini");
            JsonNode last = sse.last().data();
            assertThat(last.path("candidates").path(0).path("finishReason").asText()).isEqualTo("STOP");
            assertThat(last.path("usageMetadata").path("promptTokenCount").asLong()).isEqualTo(943_800);
            assertThat(sse.events().subList(0, sse.events().size() - 1)).allSatisfy(
                    e -> assertThat(e.data().path("candidates").path(0).has("finishReason")).isFalse());
        }

        @Test
        void pace_even_streams_the_text_over_the_whole_work_time() throws Exception {
            // when
            Sse sse = Sse.parse(post(STREAM, turn("stream it [mock work=2s pace=even lines=12]")).body());

            // then: a piece of text on each of the ten 200 ms ticks (Gemini's stream has no keep-alives)
            assertThat(sse.events()).as("one data line per tick").hasSize(10);
            assertThat(sse.events()).allSatisfy(e -> assertThat(e.data().path("candidates").path(0).path("content")
                    .path("parts").path(0).path("text").asText()).isNotEmpty());
            assertThat(sse.comments()).isZero();
        }

        @Test
        void records_the_last_user_entry_as_the_prompt() throws Exception {
            // when
            post(STREAM, turn("what is here? [mock]"));

            // then
            assertThat(server.requests()).singleElement().satisfies(r -> {
                assertThat(r.api()).isEqualTo("gemini");
                assertThat(r.prompt()).isEqualTo("what is here? [mock]");
                assertThat(r.agentTurn()).isTrue();
            });
        }

        @Test
        void the_router_call_gets_json_choosing_flash() throws Exception {
            // given
            ObjectNode body = turn("route me [mock status=429]");
            body.remove("tools");
            ObjectNode schema = Json.object().put("type", "OBJECT");
            ObjectNode properties = schema.putObject("properties");
            properties.putObject("reasoning").put("type", "STRING");
            properties.putObject("model_choice").put("type", "STRING").putArray("enum").add("pro").add("flash");
            properties.putObject("complexity_score").put("type", "INTEGER");
            body.putObject("generationConfig").put("responseMimeType", "application/json")
                    .set("responseJsonSchema", schema);

            // when
            HttpResponse<String> response = post(GENERATE, body);

            // then
            assertThat(response.statusCode()).isEqualTo(200);
            JsonNode candidate = Json.read(response.body().getBytes(StandardCharsets.UTF_8)).path("candidates").path(0);
            assertThat(candidate.path("finishReason").asText()).isEqualTo("STOP");
            JsonNode choice = Json.read(candidate.path("content").path("parts").path(0).path("text").asText()
                    .getBytes(StandardCharsets.UTF_8));
            assertThat(choice.path("model_choice").asText()).isEqualTo("flash");
            assertThat(choice.path("reasoning").asText()).isNotEmpty();
            assertThat(choice.path("complexity_score").isInt()).isTrue();
            assertThat(server.requests()).singleElement().extracting(MockRequest::agentTurn).isEqualTo(false);
        }

        @Test
        void a_shell_tool_call_is_a_run_shell_command_function_call() throws Exception {
            // when
            Sse sse = Sse.parse(post(STREAM, turn("run [mock tool=shell]")).body());

            // then
            JsonNode candidate = sse.last().data().path("candidates").path(0);
            JsonNode call = candidate.path("content").path("parts").path(0).path("functionCall");
            assertThat(call.path("name").asText()).isEqualTo("run_shell_command");
            assertThat(call.path("args").path("command").asText()).isEqualTo("touch mock-tool.txt");
            assertThat(candidate.path("finishReason").asText()).isEqualTo("STOP");
        }

        @Test
        void the_function_response_gets_a_short_final_text() throws Exception {
            // given
            ObjectNode body = turn("run [mock tool=shell]");
            ArrayNode contents = (ArrayNode) body.path("contents");
            contents.addObject().put("role", "model").putArray("parts").addObject().putObject("functionCall")
                    .put("name", "run_shell_command");
            contents.addObject().put("role", "user").putArray("parts").addObject().putObject("functionResponse")
                    .put("name", "run_shell_command");

            // when
            Sse sse = Sse.parse(post(STREAM, body).body());

            // then
            assertThat(sse.last().data().path("candidates").path(0).path("content").path("parts").path(0)
                    .path("text").asText()).isEqualTo("Done. Ran touch mock-tool.txt.");
            assertThat(server.requests()).singleElement().satisfies(r -> {
                assertThat(r.toolResult()).isTrue();
                assertThat(r.prompt()).isEqualTo("run [mock tool=shell]");
            });
        }

        @Test
        void a_usage_limit_is_a_429_with_a_per_day_quota_failure() throws Exception {
            // when
            HttpResponse<String> response = post(STREAM, turn("go [mock limit=usage]"));

            // then
            assertThat(response.statusCode()).isEqualTo(429);
            JsonNode error = Json.read(response.body().getBytes(StandardCharsets.UTF_8)).path("error");
            assertThat(error.path("status").asText()).isEqualTo("RESOURCE_EXHAUSTED");
            assertThat(error.path("details").path(0).path("@type").asText()).endsWith("google.rpc.QuotaFailure");
            assertThat(error.path("details").path(0).path("violations").path(0).path("quotaId").asText())
                    .contains("PerDay");
        }

        @Test
        void a_500_is_an_internal_error() throws Exception {
            // when
            HttpResponse<String> response = post(STREAM, turn("go [mock status=500]"));

            // then
            assertThat(response.statusCode()).isEqualTo(500);
            assertThat(Json.read(response.body().getBytes(StandardCharsets.UTF_8)).path("error").path("status").asText())
                    .isEqualTo("INTERNAL");
        }
    }

    @Nested
    class OpenAiChatCompletions {

        private static final String PATH = "/v1/chat/completions";

        private ObjectNode turn(String prompt, boolean stream) {
            ObjectNode body = Json.object().put("model", "qwen-mock").put("stream", stream);
            body.putArray("messages").add(Json.object().put("role", "system").put("content", "You are an agent."))
                    .add(Json.object().put("role", "user").put("content", prompt));
            ObjectNode function = Json.object().put("name", "run_shell_command");
            function.putObject("parameters").put("type", "object").putObject("properties").putObject("command")
                    .put("type", "string");
            body.putArray("tools").add(Json.object().put("type", "function").set("function", function));
            return body;
        }

        @Test
        void streams_a_text_reply_as_data_chunks_with_a_finish_reason_a_usage_chunk_and_done() throws Exception {
            // when
            HttpResponse<String> response = post(PATH, turn("hello qwen [mock tokens=5000]", true));

            // then
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.body()).endsWith("data: [DONE]\n\n");
            Sse sse = Sse.parse(response.body().replace("data: [DONE]\n\n", ""));
            String text = sse.events().stream().map(e -> e.data().path("choices").path(0).path("delta").path("content").asText(""))
                    .collect(Collectors.joining());
            assertThat(text).isEqualTo("Done. You said: hello qwen");
            assertThat(sse.events()).anySatisfy(e -> assertThat(e.data().at("/choices/0/finish_reason").asText()).isEqualTo("stop"));
            assertThat(sse.last().data().at("/usage/prompt_tokens").asLong()).isEqualTo(5_000);
            assertThat(server.requests()).singleElement().satisfies(r -> {
                assertThat(r.api()).isEqualTo("openai-chat");
                assertThat(r.prompt()).isEqualTo("hello qwen [mock tokens=5000]");
                assertThat(r.agentTurn()).isTrue();
            });
        }

        @Test
        void a_shell_tool_call_calls_the_shell_tool_the_request_offers() throws Exception {
            // when
            HttpResponse<String> response = post(PATH, turn("list it [mock tool=shell cmd=ls]", false));

            // then
            JsonNode choice = Json.read(response.body().getBytes(StandardCharsets.UTF_8)).path("choices").path(0);
            assertThat(choice.path("finish_reason").asText()).isEqualTo("tool_calls");
            JsonNode call = choice.at("/message/tool_calls/0/function");
            assertThat(call.path("name").asText()).isEqualTo("run_shell_command");
            assertThat(Json.read(call.path("arguments").asText().getBytes(StandardCharsets.UTF_8)).path("command").asText())
                    .isEqualTo("ls");
        }
    }

    @Nested
    class Server {

        @Test
        void an_unknown_path_is_a_logged_404() throws Exception {
            // when
            HttpResponse<String> response = post("/v1/models/list", Json.object());

            // then
            assertThat(response.statusCode()).isEqualTo(404);
            assertThat(server.requests()).singleElement().satisfies(r -> {
                assertThat(r.api()).isEqualTo("unknown");
                assertThat(r.path()).isEqualTo("POST /v1/models/list");
                assertThat(r.agentTurn()).isFalse();
            });
        }

        @Test
        void reads_a_gzipped_request_body() throws Exception {
            // given
            ObjectNode body = Json.object().put("model", "m").put("input", "zipped prompt");
            body.putArray("tools").add(Json.object().put("type", "function").put("name", "exec_command"));
            java.io.ByteArrayOutputStream zipped = new java.io.ByteArrayOutputStream();
            try (var gzip = new java.util.zip.GZIPOutputStream(zipped)) {
                gzip.write(Json.write(body).getBytes(StandardCharsets.UTF_8));
            }
            HttpRequest request = HttpRequest.newBuilder(URI.create(server.baseUrl() + "/v1/responses")).timeout(TIMEOUT)
                    .header("content-encoding", "gzip")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(zipped.toByteArray())).build();

            // when
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());

            // then
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(server.requests()).singleElement().extracting(MockRequest::prompt).isEqualTo("zipped prompt");
        }

        @Test
        void health_answers_200() throws Exception {
            assertThat(get("/_mock/health").statusCode()).isEqualTo(200);
        }

        @Test
        void the_request_list_and_the_log_file_hold_every_request() throws Exception {
            // given
            post("/v1/responses", Json.object().put("input", "plain string prompt").set("tools",
                    Json.array().add(Json.object().put("type", "function").put("name", "exec_command"))));
            post("/nowhere", Json.object());

            // when
            HttpResponse<String> listed = get("/_mock/requests");

            // then
            JsonNode all = Json.read(listed.body().getBytes(StandardCharsets.UTF_8));
            assertThat(all).hasSize(2);
            assertThat(all.path(0).path("api").asText()).isEqualTo("openai");
            assertThat(all.path(0).path("prompt").asText()).isEqualTo("plain string prompt");
            assertThat(all.path(0).path("agentTurn").asBoolean()).isTrue();
            assertThat(all.path(0).path("time").asText()).isNotBlank();
            assertThat(all.path(1).path("api").asText()).isEqualTo("unknown");
            List<String> lines = Files.readAllLines(server.requestLog().orElseThrow());
            assertThat(lines).hasSize(2);
            assertThat(Json.read(lines.get(0).getBytes(StandardCharsets.UTF_8))).isEqualTo(all.path(0));
        }

        @Test
        void serves_many_slow_streams_at_once() throws Exception {
            // given: replies that stream for ten minutes each
            ObjectNode body = Json.object().put("model", "m").put("stream", true);
            body.putArray("tools").add(Json.object().put("name", "Bash"));
            body.putArray("messages").addObject().put("role", "user").put("content", "slow [mock work=10m]");

            // when twelve are asked for at once
            List<CompletableFuture<HttpResponse<java.util.stream.Stream<String>>>> calls = new ArrayList<>();
            for (int i = 0; i < 12; i++) {
                HttpRequest request = HttpRequest.newBuilder(URI.create(server.baseUrl() + "/v1/messages"))
                        .timeout(TIMEOUT).POST(HttpRequest.BodyPublishers.ofString(Json.write(body))).build();
                calls.add(http.sendAsync(request, HttpResponse.BodyHandlers.ofLines()));
            }

            // then every one has started streaming while all are still working: none waits for another to end
            List<HttpResponse<java.util.stream.Stream<String>>> responses = new ArrayList<>();
            for (var call : calls) {
                responses.add(call.get(TIMEOUT.toSeconds(), java.util.concurrent.TimeUnit.SECONDS));
            }
            try {
                assertThat(responses).extracting(HttpResponse::statusCode).hasSize(12).containsOnly(200);
                assertThat(server.requests()).hasSize(12);
            } finally {
                responses.forEach(r -> r.body().close());
            }
        }

        @Test
        void await_returns_a_request_once_it_arrives() throws Exception {
            // given someone waiting for a Gemini request before any came
            assertThat(server.await(r -> r.api().equals("gemini"), Duration.ZERO)).isEmpty();
            CompletableFuture<java.util.Optional<MockRequest>> waiting = CompletableFuture.supplyAsync(() -> {
                try {
                    return server.await(r -> r.api().equals("gemini"), Duration.ofSeconds(60));
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            });

            // when one comes
            post("/v1beta/models/m:generateContent", Json.object());

            // then the wait ends with it; a wait for what never came ends empty at its timeout
            assertThat(waiting.get(60, java.util.concurrent.TimeUnit.SECONDS)).isPresent();
            assertThat(server.await(r -> r.api().equals("anthropic"), Duration.ofMillis(100))).isEmpty();
        }

        @Test
        void a_bad_directive_is_answered_with_its_error_as_text() throws Exception {
            // given
            ObjectNode body = Json.object().put("model", "m").put("stream", false);
            body.putArray("tools").add(Json.object().put("name", "Bash"));
            body.putArray("messages").addObject().put("role", "user").put("content", "go [mock work=soon]");

            // when
            HttpResponse<String> response = post("/v1/messages", body);

            // then
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.body()).contains("Mock directive error").contains("soon");
        }

        @Test
        void a_side_call_with_a_bad_directive_is_answered_as_usual() throws Exception {
            // given
            ObjectNode body = Json.object().put("model", "m").put("stream", false);
            body.putArray("messages").addObject().put("role", "user").put("content", "title for: go [mock work=soon]");

            // when
            HttpResponse<String> response = post("/v1/messages", body);

            // then
            assertThat(response.body()).contains("Mock reply.").doesNotContain("directive error");
        }
    }
}
