package dev.rulemux.sim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import java.util.zip.GZIPInputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A mock model API on 127.0.0.1 that the real agent CLIs (Claude Code, Codex, Gemini CLI) talk to instead
 * of the real services. It speaks three dialects — Anthropic Messages, OpenAI Responses, Gemini — and
 * answers each agent turn as the {@link Script} in the prompt says: stream slowly, report many tokens, ask
 * for a shell command, fail with an HTTP error or a usage limit.
 *
 * <p>Every request is recorded ({@link #requests()}, {@code GET /_mock/requests}, and optionally a JSON-lines
 * file); paths no dialect serves are recorded as api {@code unknown} and answered 404.
 */
public final class MockModelServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(MockModelServer.class);
    private static final String SIDE_CALL_REPLY = "Mock reply.";
    private static final int ECHO_WORDS = 8;

    private final HttpServer server;
    private final ExecutorService executor;
    private final List<Dialect> dialects = List.of(new AnthropicDialect(), new OpenAiResponsesDialect(),
            new GeminiDialect(), new OpenAiChatDialect());
    private final List<MockRequest> requests = new ArrayList<>();
    private final java.util.IdentityHashMap<MockRequest, Instant> answered = new java.util.IdentityHashMap<>();
    private final Map<String, AtomicInteger> failuresByDirective = new ConcurrentHashMap<>();
    private final Optional<Path> requestLog;
    private final Optional<Path> bodyDir;
    private final AtomicInteger received = new AtomicInteger();

    private MockModelServer(HttpServer server, ExecutorService executor, Optional<Path> requestLog,
            Optional<Path> bodyDir) {
        this.server = server;
        this.executor = executor;
        this.requestLog = requestLog;
        this.bodyDir = bodyDir;
    }

    /** Starts a server on 127.0.0.1 ({@code port} 0 picks a free one). */
    public static MockModelServer start(int port) {
        return start(port, null);
    }

    /** Starts a server that also appends one JSON object per request to {@code requestLog} (null: none). */
    public static MockModelServer start(int port, Path requestLog) {
        return start(port, requestLog, null);
    }

    /**
     * Starts a server that also keeps every request body as {@code bodyDir/NNNN-API.json} (null: none), for
     * finding out what a CLI sends.
     */
    public static MockModelServer start(int port, Path requestLog, Path bodyDir) {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 64);
            ExecutorService executor = Executors.newCachedThreadPool(daemonThreads());
            server.setExecutor(executor);
            MockModelServer mock = new MockModelServer(server, executor, Optional.ofNullable(requestLog),
                    Optional.ofNullable(bodyDir));
            server.createContext("/", mock::handle);
            server.start();
            LOG.debug("mock model server listening on {}", mock.baseUrl());
            return mock;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the mock model server on port " + port, e);
        }
    }

    public int port() {
        return server.getAddress().getPort();
    }

    /** {@code http://127.0.0.1:PORT}, without a trailing slash. */
    public String baseUrl() {
        return "http://127.0.0.1:" + port();
    }

    public Optional<Path> requestLog() {
        return requestLog;
    }

    /** Every request received so far, in order of arrival: agent turns, side calls and unknown paths. */
    public List<MockRequest> requests() {
        synchronized (requests) {
            return List.copyOf(requests);
        }
    }

    /** The requests that were agent turns (they offered tools). */
    public List<MockRequest> agentTurns() {
        return requests().stream().filter(MockRequest::agentTurn).toList();
    }

    /** Waits up to {@code timeout} for a request that matches. */
    public Optional<MockRequest> await(Predicate<MockRequest> wanted, Duration timeout) throws InterruptedException {
        Instant deadline = Instant.now().plus(timeout);
        synchronized (requests) {
            while (true) {
                Optional<MockRequest> found = requests.stream().filter(wanted).findFirst();
                long left = Duration.between(Instant.now(), deadline).toMillis();
                if (found.isPresent() || left <= 0) {
                    return found;
                }
                requests.wait(left);
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String method = exchange.getRequestMethod();
            String path = exchange.getRequestURI().getPath();
            String fullPath = exchange.getRequestURI().getRawPath()
                    + (exchange.getRequestURI().getRawQuery() == null ? "" : "?" + exchange.getRequestURI().getRawQuery());
            byte[] body = readBody(exchange);
            keepBody(method, fullPath, body);
            if (path.startsWith("/_mock/")) {
                control(exchange, method, path);
                return;
            }
            Optional<Dialect> dialect = dialects.stream().filter(d -> d.serves(method, path)).findFirst();
            if (dialect.isEmpty()) {
                record(new MockRequest("unknown", method + " " + fullPath, "", false, false, Instant.now(),
                        Script.DEFAULT));
                if ("HEAD".equals(method)) {
                    // Claude Code's connectivity probe (HEAD /, every ~30 s while retrying): expected, not worth a warning.
                    LOG.debug("mock: no dialect serves {} {}", method, fullPath);
                    exchange.sendResponseHeaders(404, -1);
                    return;
                }
                LOG.warn("mock: no dialect serves {} {} ({} bytes)", method, fullPath, body.length);
                ObjectNode error = Json.object().put("message", "mock model server: no such endpoint " + path)
                        .put("type", "not_found_error");
                Json.send(exchange, 404, Json.object().set("error", error));
                return;
            }
            JsonNode json = Json.read(body);
            Turn turn = dialect.get().read(path, json);
            Reply reply;
            Script script;
            try {
                script = Script.parse(turn.prompt());
                reply = decide(turn, script);
            } catch (IllegalArgumentException e) {
                // A malformed directive: the agent turn says so in its reply; a side call is answered as usual.
                script = Script.DEFAULT;
                reply = turn.agentTurn() ? new Reply.Text("Mock directive error: " + e.getMessage(),
                        Script.DEFAULT_TOKENS, Script.DEFAULT_WORK) : decide(turn, script);
            }
            MockRequest request = new MockRequest(dialect.get().api(), fullPath, turn.prompt(), turn.agentTurn(),
                    turn.toolResult(), Instant.now(), script);
            record(request);
            LOG.debug("mock {} {} agentTurn={} toolResult={} reply={}", dialect.get().api(), fullPath,
                    turn.agentTurn(), turn.toolResult(), reply);
            dialect.get().answer(exchange, turn, reply);
            synchronized (answered) {
                answered.put(request, Instant.now());
            }
        } catch (IOException e) {
            LOG.debug("mock: exchange ended early: {}", e.toString());
        } catch (RuntimeException e) {
            LOG.warn("mock: failed to answer {}", exchange.getRequestURI(), e);
            throw e;
        }
    }

    /**
     * The reply to a turn. Side calls (no tools) get a quick plain reply whatever the script says (JSON
     * fitting the schema when they ask for JSON: titles, Gemini CLI's router); an
     * agent turn follows its script: an error while the script still fails, the final text after a tool
     * result, a shell call, or text.
     */
    private Reply decide(Turn turn, Script script) {
        if (!turn.agentTurn()) {
            String text = turn.jsonSchema().map(schema -> Json.write(SchemaValues.valueFor(schema)))
                    .orElse(SIDE_CALL_REPLY);
            return new Reply.Text(text, Script.DEFAULT_TOKENS, Duration.ZERO);
        }
        if (script.fails() && stillFailing(script)) {
            return script.limit().isPresent() ? new Reply.UsageLimit(script.retryAfter(), script.resets())
                    : new Reply.Failure(script.status().orElse(429), script.retryAfter());
        }
        if (turn.toolResult()) {
            String text = script.reply().orElse("Done. Ran " + script.cmd() + ".");
            return new Reply.Text(text, script.tokens(), Script.DEFAULT_WORK);
        }
        if (script.tool().isPresent()) {
            return new Reply.ShellCall(script.cmd(), script.tokens(), script.work());
        }
        return new Reply.Text(script.replyText(defaultReply(turn.prompt())), script.tokens(), script.work(), script.pace());
    }

    /** True for every request of a script without {@code fail=N}; for the first N requests of one with it. */
    private boolean stillFailing(Script script) {
        if (script.fail() <= 0) {
            return true;
        }
        int seen = failuresByDirective.computeIfAbsent(script.directive(), d -> new AtomicInteger()).incrementAndGet();
        return seen <= script.fail();
    }

    /** {@code Done.} and the first words of the prompt (its directive cut out). */
    static String defaultReply(String prompt) {
        String said = Script.withoutDirective(prompt);
        if (said.isEmpty()) {
            return "Done.";
        }
        List<String> words = Arrays.asList(said.split("\\s+"));
        String echo = words.stream().limit(ECHO_WORDS).collect(Collectors.joining(" "));
        return "Done. You said: " + echo + (words.size() > ECHO_WORDS ? " …" : "");
    }

    private void control(HttpExchange exchange, String method, String path) throws IOException {
        if ("GET".equals(method) && path.equals("/_mock/health")) {
            Json.send(exchange, 200, Json.object().put("status", "ok"));
        } else if ("GET".equals(method) && path.equals("/_mock/requests")) {
            ArrayNode all = Json.array();
            requests().forEach(r -> all.add(toJson(r)));
            Json.send(exchange, 200, all);
        } else {
            Json.send(exchange, 404, Json.object().put("error", "no such control endpoint"));
        }
    }

    /**
     * When the mock finished answering {@code request} (the last byte of its reply stream sent): the end of
     * the agent's turn as the model sees it. Empty while it is still answering.
     */
    public Optional<Instant> answeredAt(MockRequest request) {
        synchronized (answered) {
            return Optional.ofNullable(answered.get(request));
        }
    }

    private void record(MockRequest request) {
        synchronized (requests) {
            requests.add(request);
            requests.notifyAll();
        }
        requestLog.ifPresent(file -> append(file, request));
    }

    private static void append(Path file, MockRequest request) {
        String line = Json.write(toJson(request)) + "\n";
        synchronized (MockModelServer.class) {
            try {
                Files.writeString(file, line, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                        StandardOpenOption.APPEND);
            } catch (IOException e) {
                LOG.warn("mock: cannot append to the request log {}", file, e);
            }
        }
    }

    /** The JSON form of a request, as logged and as {@code GET /_mock/requests} lists it. */
    static ObjectNode toJson(MockRequest request) {
        return Json.object()
                .put("api", request.api())
                .put("path", request.path())
                .put("prompt", request.prompt())
                .put("agentTurn", request.agentTurn())
                .put("toolResult", request.toolResult())
                .put("directive", request.script().directive())
                .put("time", request.at().toString());
    }

    private void keepBody(String method, String fullPath, byte[] body) {
        if (bodyDir.isEmpty() || fullPath.startsWith("/_mock/")) {
            return;
        }
        String name = String.format("%04d-%s.json", received.incrementAndGet(),
                fullPath.replaceAll("[^A-Za-z0-9.-]+", "_"));
        try {
            Files.createDirectories(bodyDir.get());
            Files.write(bodyDir.get().resolve(name), body);
            Files.writeString(bodyDir.get().resolve("index.txt"), name + " " + method + " " + fullPath + "\n",
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            LOG.warn("mock: cannot keep the body of {}", fullPath, e);
        }
    }

    /** The request body, un-gzipped when the client compressed it (other encodings are kept as they came). */
    private static byte[] readBody(HttpExchange exchange) throws IOException {
        String encoding = exchange.getRequestHeaders().getFirst("content-encoding");
        boolean gzip = encoding != null && encoding.equalsIgnoreCase("gzip");
        if (encoding != null && !gzip && !encoding.equalsIgnoreCase("identity")) {
            LOG.warn("mock: cannot decode a request body in {} encoding", encoding);
        }
        try (InputStream in = gzip ? new GZIPInputStream(exchange.getRequestBody()) : exchange.getRequestBody()) {
            return in.readAllBytes();
        }
    }

    private static ThreadFactory daemonThreads() {
        AtomicInteger count = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, "mock-model-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }
}
