package dev.rulemux.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rulemux.Eventually;
import dev.rulemux.board.Journal;
import dev.rulemux.domain.Status;
import dev.rulemux.store.StateStore;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The web dashboard over HTTP: the page, the JSON, the event stream, and who may ask. */
class WebDashboardTest {

    @TempDir
    Path dir;

    final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    final ObjectMapper json = new ObjectMapper();
    final List<AutoCloseable> open = new ArrayList<>();
    long now = System.currentTimeMillis();

    @AfterEach
    void closeAll() throws Exception {
        for (int i = open.size() - 1; i >= 0; i--) {
            open.get(i).close();
        }
    }

    <T extends AutoCloseable> T keep(T c) {
        open.add(c);
        return c;
    }

    /** The team of {@link Teams#aTeam} served on a free loopback port, polled every 50 ms, kept alive every 300 ms. */
    WebDashboard serve(String token) throws IOException {
        return serve(token, Clock.systemUTC());
    }

    WebDashboard serve(String token, Clock clock) throws IOException {
        try (StateStore loop = StateStore.open(dir)) {
            Teams.aTeam(loop, now);
        }
        StateStore store = keep(StateStore.open(dir));
        return keep(WebDashboard.start(store, Teams.DECLARED, dir.toString(), clock, new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
                token, 50, 300));
    }

    HttpResponse<String> get(URI uri, String... headers) throws Exception {
        HttpRequest.Builder r = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10));
        if (headers.length > 0) {
            r.headers(headers);
        }
        return http.send(r.build(), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> request(String method, URI uri) throws Exception {
        return http.send(HttpRequest.newBuilder(uri).method(method, HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void thePageIsServedWithTheSecurityHeadersAndACspAllowingOnlyItsOwnInlineScriptAndStyle() throws Exception {
        WebDashboard web = serve(null);

        HttpResponse<String> r = get(web.url());

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type")).hasValue("text/html; charset=utf-8");
        assertThat(r.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
        assertThat(r.headers().firstValue("Cache-Control")).hasValue("no-store");
        assertThat(r.body()).contains("<title>rulemux</title>").as("nothing fetched from elsewhere")
                .doesNotContainPattern("(src|href)=\"?(https?:)?//").doesNotContain("@import", "url(");
        String csp = r.headers().firstValue("Content-Security-Policy").orElseThrow();
        assertThat(csp).startsWith("default-src 'self'; ").doesNotContain("unsafe-inline", "unsafe-eval")
                .contains("script-src " + hash(r.body(), "script") + ";", "style-src " + hash(r.body(), "style") + ";");
        assertThat(web.url().toString()).matches("http://127\\.0\\.0\\.1:\\d+/");
    }

    static String hash(String page, String tag) throws Exception {
        Matcher m = Pattern.compile("<" + tag + ">(.*?)</" + tag + ">", Pattern.DOTALL).matcher(page);
        assertThat(m.find()).as("an inline " + tag).isTrue();
        byte[] digest = MessageDigest.getInstance("SHA-256").digest(m.group(1).getBytes(StandardCharsets.UTF_8));
        return "'sha256-" + Base64.getEncoder().encodeToString(digest) + "'";
    }

    @Test
    void apiStateIsTheTeamAsJson() throws Exception {
        WebDashboard web = serve(null);

        HttpResponse<String> r = get(web.url().resolve("/api/state"));

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type")).hasValue("application/json");
        JsonNode s = json.readTree(r.body());
        assertThat(s.get("live").asBoolean()).isTrue();
        assertThat(Instant.parse(s.get("at").asText()).toEpochMilli()).isGreaterThanOrEqualTo(now);
        assertThat(s.get("agents").findValuesAsText("name")).containsExactly("architect", "builder", "tester");
        JsonNode builder = s.get("agents").get(1);
        assertThat(builder.get("status").asText()).isEqualTo("WORKING");
        assertThat(builder.get("task").asText()).isEqualTo("routes");
        assertThat(builder.get("context_used_percent").asInt()).isEqualTo(42);
        assertThat(builder.get("screen").get(1).asText()).isEqualTo(Teams.SCRIPT_LINE);
        assertThat(s.get("agents").get(2).get("status").asText()).isEqualTo("UNKNOWN");
        assertThat(s.get("tasks").findValuesAsText("id")).containsExactly("design-api", "routes", "docs");
        assertThat(s.get("tasks").get(1).get("title").asText()).isEqualTo("HTTP routes");
        assertThat(s.get("counts").get("COMPLETED").asInt()).isEqualTo(1);
        assertThat(s.get("counts").get("IN_PROGRESS").asInt()).isEqualTo(1);
        assertThat(s.get("events").findValuesAsText("detail")).contains("declared routes (tasks.yaml)");
        assertThat(s.get("events").get(0).get("seq").asLong()).isPositive();
        assertThat(s.get("context_history").get("builder").get(0).get(1).asInt()).isEqualTo(42);
        assertThat(s.get("context_history").has("tester")).as("never seen").isFalse();
    }

    @Test
    void givenAgentsOnOtherHosts_thenApiStateGivesEachAgentsHost_nullForThisMachine() throws Exception {
        try (StateStore loop = StateStore.open(dir)) {
            Teams.aTeam(loop, now);
        }
        StateStore store = keep(StateStore.open(dir));
        WebDashboard web = keep(WebDashboard.start(store, Teams.DECLARED, java.util.Map.of("builder", "dev@gpu-box"),
                dir.toString(), Clock.systemUTC(), new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), null));

        JsonNode s = json.readTree(get(web.url().resolve("/api/state")).body());

        assertThat(s.get("agents")).extracting(a -> a.get("name").asText() + " " + a.get("host").asText(null))
                .containsExactly("architect null", "builder dev@gpu-box", "tester null");
    }

    @Test
    void eventsStreamsTheStateAtOnceThenAtEachChangeAndKeepsAlive() throws Exception {
        // a clock that stands still: the team stays live however long a loaded machine takes, so the only
        // changes are the test's own
        WebDashboard web = serve(null, Clock.fixed(Instant.ofEpochMilli(now), ZoneOffset.UTC));
        HttpResponse<InputStream> r = http.send(HttpRequest.newBuilder(web.url().resolve("/events")).build(),
                HttpResponse.BodyHandlers.ofInputStream());
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type")).hasValue("text/event-stream; charset=utf-8");
        BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        BufferedReader reader = new BufferedReader(new InputStreamReader(r.body(), StandardCharsets.UTF_8));
        Thread pump = new Thread(() -> {
            try (reader) {
                reader.lines().forEach(lines::add);
            } catch (IOException | UncheckedIOException closed) { // when the server closes
            }
        });
        pump.setDaemon(true);
        pump.start();

        JsonNode first = nextState(lines);
        assertThat(first.get("agents").get(1).get("context_used_percent").asInt()).isEqualTo(42);

        // when the loop (another connection) records builder again
        try (StateStore loop = StateStore.open(dir)) {
            loop.agent(new Journal.AgentState("builder", Status.IDLE, "its input box is empty", null, 57, now,
                    now + ContextHistory.STEP_MS, List.of("> ")));
            loop.event(Journal.Kind.TRANSITION, "builder", "routes", "routes IN_PROGRESS -> COMPLETED");
        }

        // then a state event shows it (the two writes may reach the poller in two looks: a state event each)
        JsonNode next = nextState(lines);
        while (!next.get("events").findValuesAsText("detail").contains("routes IN_PROGRESS -> COMPLETED")) {
            next = nextState(lines);
        }
        assertThat(next.get("agents").get(1).get("status").asText()).isEqualTo("IDLE");
        assertThat(next.get("agents").get(1).get("context_used_percent").asInt()).isEqualTo(57);
        assertThat(next.get("context_history").get("builder")).hasSize(2);
        assertThat(next.get("events").findValuesAsText("detail")).last().isEqualTo("routes IN_PROGRESS -> COMPLETED");
        assertThat(nextLine(lines)).as("the end of the event").isEmpty();
        assertThat(nextLine(lines)).as("nothing changed for the keepalive time").isEqualTo(": keepalive");
    }

    /** The next line of the stream; fails if none comes within {@link Eventually#GENEROUS}. */
    static String nextLine(BlockingQueue<String> lines) throws InterruptedException {
        String line = lines.poll(Eventually.GENEROUS.toMillis(), TimeUnit.MILLISECONDS);
        assertThat(line).as("a line within " + Eventually.GENEROUS).isNotNull();
        return line;
    }

    /** The data of the next {@code state} event (lines before it are skipped). */
    JsonNode nextState(BlockingQueue<String> lines) throws Exception {
        while (!nextLine(lines).equals("event: state")) {
            // a keepalive or the blank line that ends an event
        }
        String data = nextLine(lines);
        assertThat(data).startsWith("data: ");
        return json.readTree(data.substring(6));
    }

    @Test
    void aLiveTeamTurnsNotLiveWhenTheLoopStopsRecordingIt() throws Exception {
        long[] clock = {now};
        WebDashboard web = serve(null, new Clock() {
            @Override
            public java.time.ZoneId getZone() {
                return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(java.time.ZoneId zone) {
                return this;
            }

            @Override
            public Instant instant() {
                return Instant.ofEpochMilli(clock[0]);
            }
        });
        assertThat(json.readTree(get(web.url().resolve("/api/state")).body()).get("live").asBoolean()).isTrue();

        clock[0] = now + TeamView.FRESH_MS; // the agents were recorded 1 s before now: 11 s ago, and nothing changed

        // then, once the poller has looked again (every 50 ms)
        Eventually.until("the team to turn not live",
                () -> !json.readTree(get(web.url().resolve("/api/state")).body()).get("live").asBoolean());
    }

    @Test
    void onlyGetAndHeadOfTheThreePathsAreAnswered() throws Exception {
        WebDashboard web = serve(null);

        assertThat(get(web.url().resolve("/nope")).statusCode()).isEqualTo(404);
        assertThat(get(web.url().resolve("/api/state/x")).statusCode()).isEqualTo(404);
        HttpResponse<String> post = request("POST", web.url().resolve("/api/state"));
        assertThat(post.statusCode()).isEqualTo(405);
        assertThat(post.headers().firstValue("Allow")).hasValue("GET, HEAD");
        assertThat(request("DELETE", web.url()).statusCode()).isEqualTo(405);
        assertThat(request("PUT", web.url().resolve("/events")).statusCode()).isEqualTo(405);
        HttpResponse<String> head = request("HEAD", web.url().resolve("/api/state"));
        assertThat(head.statusCode()).isEqualTo(200);
        assertThat(head.body()).isEmpty();
        assertThat(request("HEAD", web.url().resolve("/events")).statusCode()).isEqualTo(200);
    }

    @Test
    void withATokenEveryRequestMustCarryIt() throws Exception {
        WebDashboard web = serve("s3cret tok/en");
        URI base = URI.create(web.url().toString().replaceFirst("\\?.*", ""));

        assertThat(web.url().getRawQuery()).isEqualTo("token=s3cret+tok%2Fen");
        for (String path : List.of("/", "/api/state", "/events", "/nope")) {
            HttpResponse<String> r = get(base.resolve(path));
            assertThat(r.statusCode()).as(path).isEqualTo(401);
            assertThat(r.headers().firstValue("WWW-Authenticate")).hasValue("Bearer");
        }
        assertThat(get(base.resolve("/api/state?token=wrong")).statusCode()).isEqualTo(401);
        assertThat(get(base.resolve("/api/state"), "Authorization", "Bearer wrong").statusCode()).isEqualTo(401);
        assertThat(get(web.url()).statusCode()).isEqualTo(200);
        assertThat(get(base.resolve("/api/state?" + web.url().getRawQuery())).statusCode()).isEqualTo(200);
        assertThat(get(base.resolve("/api/state"), "Authorization", "Bearer s3cret tok/en").statusCode()).isEqualTo(200);
    }

    @Test
    void onLoopbackARequestForAnotherHostIsRefusedAgainstDnsRebinding() throws Exception {
        WebDashboard web = serve(null);
        int port = web.url().getPort();

        assertThat(rawGet(port, "evil.example")).startsWith("HTTP/1.1 403");
        assertThat(rawGet(port, "evil.example:" + port)).startsWith("HTTP/1.1 403");
        assertThat(rawGet(port, "localhost:" + port)).startsWith("HTTP/1.1 200");
        assertThat(rawGet(port, "127.0.0.1:" + port)).startsWith("HTTP/1.1 200");
        assertThat(rawGet(port, "[::1]:" + port)).startsWith("HTTP/1.1 200");
    }

    /** The status line of {@code GET /api/state} with {@code Host: host}, sent by hand (HttpClient sets Host itself). */
    static String rawGet(int port, String host) throws IOException {
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
            s.setSoTimeout(5_000);
            OutputStream out = s.getOutputStream();
            out.write(("GET /api/state HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            return new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.US_ASCII)).readLine();
        }
    }

    @Test
    void offLoopbackATokenIsRequired() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> WebDashboard.checkAccess(InetAddress.getByName("0.0.0.0"), null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not a loopback address");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> WebDashboard.checkAccess(InetAddress.getLoopbackAddress(), " "))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("blank");
    }
}
