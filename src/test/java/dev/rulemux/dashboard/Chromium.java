package dev.rulemux.dashboard;

import static org.assertj.core.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rulemux.proc.ProcessTrees;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/**
 * Test helper: Debian's headless Chromium, run as a process (an argument list, no shell) and driven over the DevTools
 * protocol. A page that holds an event stream open never lets {@code --virtual-time-budget} run out (virtual time
 * waits for pending fetches), so {@code --dump-dom} and {@code --screenshot} cannot be used on the dashboard: this
 * waits for what the test expects instead, then reads the DOM or takes the screenshot. Missing, the browser test is
 * skipped, unless {@code RULEMUX_REQUIRE_BROWSER=1} (CI), which fails it.
 */
final class Chromium implements AutoCloseable {

    static final String REQUIRE_ENV = "RULEMUX_REQUIRE_BROWSER";
    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Process process;
    private final WebSocket socket;
    private final AtomicLong ids = new AtomicLong();
    private final Map<Long, CompletableFuture<JsonNode>> calls = new ConcurrentHashMap<>();
    private final List<String> errors = new CopyOnWriteArrayList<>();
    private String session;

    private Chromium(Process process, URI devtools) {
        this.process = process;
        this.socket = HttpClient.newHttpClient().newWebSocketBuilder().connectTimeout(TIMEOUT)
                .buildAsync(devtools, new Listener()).orTimeout(TIMEOUT.toSeconds(), TimeUnit.SECONDS).join();
    }

    /** The browser, its profile and log under {@code work}; skips or fails the test when there is none. */
    static Chromium start(Path work) throws IOException, InterruptedException {
        Optional<Path> binary = Stream.concat(Stream.of("/usr/bin/chromium"),
                        Stream.of(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)).map(d -> d + "/chromium"))
                .map(Path::of).filter(Files::isExecutable).findFirst();
        if (binary.isEmpty()) {
            String why = "chromium is not installed (apt-get install -y chromium)";
            if ("1".equals(System.getenv(REQUIRE_ENV))) {
                fail(why + ", and " + REQUIRE_ENV + "=1");
            }
            assumeTrue(false, why + ": the browser test is skipped");
        }
        Path profile = work.resolve("profile");
        Path log = work.resolve("chromium.log");
        List<String> argv = List.of(binary.get().toString(), "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync", "--hide-scrollbars",
                "--user-data-dir=" + profile, "--remote-debugging-port=0", "about:blank");
        Process p = new ProcessBuilder(argv).redirectErrorStream(true).redirectOutput(log.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
        Path portFile = profile.resolve("DevToolsActivePort"); // "PORT\n/devtools/browser/ID"
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (!(Files.exists(portFile) && Files.readAllLines(portFile).size() >= 2)) {
            if (!p.isAlive() || System.nanoTime() > deadline) {
                kill(p);
                fail("chromium did not start: " + argv + "\n" + Files.readString(log));
            }
            Thread.sleep(50);
        }
        List<String> port = Files.readAllLines(portFile);
        return new Chromium(p, URI.create("ws://127.0.0.1:" + port.get(0) + port.get(1)));
    }

    /** Opens {@code url} in a new {@code width} × {@code height} tab, which later calls act on. */
    Chromium open(URI url, int width, int height) {
        String target = call(null, "Target.createTarget", Map.of("url", "about:blank")).get("targetId").asText();
        session = call(null, "Target.attachToTarget", Map.of("targetId", target, "flatten", true)).get("sessionId").asText();
        call(session, "Emulation.setDeviceMetricsOverride", Map.of("width", width, "height", height, "deviceScaleFactor", 1,
                "mobile", false));
        call(session, "Runtime.enable", Map.of());
        call(session, "Log.enable", Map.of());
        call(session, "Page.navigate", Map.of("url", url.toString()));
        return this;
    }

    /** The value of a JavaScript expression in the page. */
    JsonNode evaluate(String expression) {
        JsonNode r = call(session, "Runtime.evaluate", Map.of("expression", expression, "returnByValue", true));
        if (r.has("exceptionDetails")) {
            fail(expression + " threw: " + r.get("exceptionDetails"));
        }
        return r.get("result").path("value");
    }

    /** Waits until {@code expression} is true in the page. */
    Chromium await(String expression) throws InterruptedException {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (!evaluate("!!(" + expression + ")").asBoolean()) {
            if (System.nanoTime() > deadline) {
                fail("not true within " + TIMEOUT.toSeconds() + " s: " + expression + "\n" + dom());
            }
            Thread.sleep(50);
        }
        return this;
    }

    String dom() {
        return evaluate("document.documentElement.outerHTML").asText();
    }

    byte[] screenshot() {
        return Base64.getDecoder().decode(call(session, "Page.captureScreenshot", Map.of("format", "png")).get("data").asText());
    }

    /** Uncaught exceptions and errors logged by the page (a script error, a CSP violation, a failed load). */
    List<String> errors() {
        return List.copyOf(errors);
    }

    private JsonNode call(String sessionId, String method, Map<String, Object> params) {
        long id = ids.incrementAndGet();
        ObjectNode msg = JSON.createObjectNode().put("id", id).put("method", method);
        msg.set("params", JSON.valueToTree(params));
        if (sessionId != null) {
            msg.put("sessionId", sessionId);
        }
        CompletableFuture<JsonNode> answer = new CompletableFuture<>();
        calls.put(id, answer);
        socket.sendText(msg.toString(), true).join();
        JsonNode r = answer.orTimeout(TIMEOUT.toSeconds(), TimeUnit.SECONDS).join();
        if (r.has("error")) {
            fail(method + " failed: " + r.get("error"));
        }
        return r.get("result");
    }

    /** Answers to calls, and the page's errors; the rest of the protocol's events are dropped. */
    private final class Listener implements WebSocket.Listener {

        private final StringBuilder text = new StringBuilder();

        @Override
        public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
            text.append(data);
            if (last) {
                JsonNode msg;
                try {
                    msg = JSON.readTree(text.toString());
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                } finally {
                    text.setLength(0);
                }
                if (msg.has("id")) {
                    Optional.ofNullable(calls.remove(msg.get("id").asLong())).ifPresent(f -> f.complete(msg));
                } else if ("Runtime.exceptionThrown".equals(msg.path("method").asText())) {
                    errors.add(msg.at("/params/exceptionDetails").toString());
                } else if ("Log.entryAdded".equals(msg.path("method").asText())
                        && "error".equals(msg.at("/params/entry/level").asText())) {
                    errors.add(msg.at("/params/entry").toString());
                }
            }
            ws.request(1);
            return null;
        }
    }

    @Override
    public void close() throws IOException {
        socket.abort();
        kill(process);
    }

    private static void kill(Process p) {
        ProcessTrees.endTrees(List.of(p.toHandle()), Duration.ofSeconds(10));
        try {
            p.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
