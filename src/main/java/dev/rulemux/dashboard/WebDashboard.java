package dev.rulemux.dashboard;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rulemux.store.StateStore;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code rulemux serve}: a read-only web dashboard of the state database. {@code GET /} is one static page,
 * {@code GET /api/state} the team as JSON, {@code GET /events} the same as server-sent {@code state} events, one at
 * once and one whenever the store changes. One thread polls the store for all clients (its cheap
 * {@link StateStore#mark()} every {@link #POLL_MS}, the whole view only when that changed); each event stream waits
 * for the next snapshot on its own thread. Nothing here writes the store.
 *
 * <p>Bound to a loopback address it answers only requests whose {@code Host} is a loopback name (against DNS
 * rebinding); any other address needs a token, which every request must then carry, as {@code ?token=} or
 * {@code Authorization: Bearer}.
 */
public final class WebDashboard implements AutoCloseable {

    static final long POLL_MS = 500;
    static final long KEEPALIVE_MS = 15_000;
    /** Events in each snapshot, the newest. */
    static final int EVENTS = 100;
    /** Event streams open at once; more are answered 503. */
    static final int MAX_STREAMS = 32;

    /**
     * What the server spends on clients, authorised or not.
     *
     * @param handlers          threads answering requests
     * @param queue             whole requests waiting for a thread; more are answered 503
     * @param headTimeout       a request head must end within this long after connecting
     * @param maxHead           a request head's largest size in bytes (431 beyond)
     * @param perAddress        connections of one client address whose head has not ended; more are closed at once
     * @param total             such connections of all clients
     * @param streams           event streams open at once
     * @param streamsPerAddress event streams of one client address
     * @param writeTimeout      a response write blocked this long (a client that stopped reading) closes the connection
     */
    record Limits(int handlers, int queue, java.time.Duration headTimeout, int maxHead, int perAddress, int total, int streams,
                  int streamsPerAddress, java.time.Duration writeTimeout) {

        static final Limits DEFAULT = new Limits(40, 32, java.time.Duration.ofSeconds(10), 16 * 1024, 16, 1024, MAX_STREAMS, 4,
                java.time.Duration.ofSeconds(30));

        Limits handlers(int threads, int waiting) {
            return new Limits(threads, waiting, headTimeout, maxHead, perAddress, total, streams, streamsPerAddress, writeTimeout);
        }

        Limits perAddress(int connections) {
            return new Limits(handlers, queue, headTimeout, maxHead, connections, total, streams, streamsPerAddress, writeTimeout);
        }

        Limits headTimeout(java.time.Duration timeout) {
            return new Limits(handlers, queue, timeout, maxHead, perAddress, total, streams, streamsPerAddress, writeTimeout);
        }
    }

    private static final String TEXT = "text/plain; charset=utf-8";
    private static final Logger LOG = LoggerFactory.getLogger(WebDashboard.class);
    private static final ObjectMapper JSON = dev.rulemux.text.JsonEscapes.applyTo(new ObjectMapper());
    private static final byte[] PAGE = page();
    private static final String CSP = "default-src 'self'; script-src " + hashes("script") + "; style-src " + hashes("style")
            + "; img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    /** The team as last read: {@code version} goes up with each change. */
    private record Snapshot(long version, String json) {
    }

    private final StateStore store;
    private final List<String> declared;
    private final Map<String, String> hostOfAgent;
    private final String configDir;
    private final Clock clock;
    private final byte[] tokenHash;
    private final long keepaliveMs;
    private final Set<String> hosts;
    private final URI url;
    private final HttpFront server;
    private final Limits limits;
    private final ScheduledExecutorService poller;
    private final ContextHistory history = new ContextHistory();
    private final Semaphore streams;
    private final java.util.Map<InetAddress, Integer> streamsByAddress = new java.util.HashMap<>(); // guarded by itself
    private final Object changed = new Object();
    private Snapshot snapshot; // guarded by changed
    private boolean closed; // guarded by changed
    private StateStore.Mark mark; // poller thread only
    private TeamView view; // poller thread only
    private String lastError; // poller thread only

    private WebDashboard(StateStore store, List<String> declared, String configDir, Clock clock, InetSocketAddress bind,
                         String token, long pollMs, long keepaliveMs, Limits limits) throws IOException {
        this(store, declared, Map.of(), configDir, clock, bind, token, pollMs, keepaliveMs, limits);
    }

    private WebDashboard(StateStore store, List<String> declared, Map<String, String> hostOfAgent, String configDir, Clock clock,
                         InetSocketAddress bind, String token, long pollMs, long keepaliveMs, Limits limits) throws IOException {
        this.hostOfAgent = Map.copyOf(hostOfAgent);
        checkAccess(bind.getAddress(), token);
        this.limits = limits;
        this.streams = new Semaphore(limits.streams());
        this.store = store;
        this.declared = List.copyOf(declared);
        this.configDir = configDir;
        this.clock = clock;
        this.tokenHash = token == null ? null : sha256(token);
        this.keepaliveMs = keepaliveMs;
        poll(); // the first snapshot, before anyone asks; a store that cannot be read fails the start
        server = new HttpFront(bind, limits, this::handle, "rulemux-web");
        String host = bind.getAddress() instanceof Inet6Address ? "[" + bind.getAddress().getHostAddress() + "]"
                : bind.getAddress().getHostAddress();
        hosts = bind.getAddress().isLoopbackAddress() ? Set.copyOf(List.of("localhost", "127.0.0.1", "[::1]", host)) : null;
        url = URI.create("http://" + host + ":" + server.port() + "/"
                + (token == null ? "" : "?token=" + URLEncoder.encode(token, StandardCharsets.UTF_8)));
        poller = Executors.newSingleThreadScheduledExecutor(daemon("rulemux-web-poll"));
        poller.scheduleWithFixedDelay(this::poll, pollMs, pollMs, TimeUnit.MILLISECONDS);
    }

    /**
     * Serves the dashboard of {@code store} on {@code bind} (port 0: any free port) until closed.
     *
     * @param declared  the agents of agents.yaml, shown before a loop has seen them
     * @param configDir the config directory, shown in the page's header
     * @param token     the token every request must carry, or null for none (only on a loopback address)
     * @throws IllegalArgumentException a non-loopback address without a token, or a blank token
     * @throws IOException              the address cannot be bound
     */
    public static WebDashboard start(StateStore store, List<String> declared, String configDir, Clock clock,
                                     InetSocketAddress bind, String token) throws IOException {
        return new WebDashboard(store, declared, configDir, clock, bind, token, POLL_MS, KEEPALIVE_MS, Limits.DEFAULT);
    }

    /** As {@link #start}, with the host of each agent not on this machine (shown on its card). */
    public static WebDashboard start(StateStore store, List<String> declared, Map<String, String> hosts, String configDir,
                                     Clock clock, InetSocketAddress bind, String token) throws IOException {
        return new WebDashboard(store, declared, hosts, configDir, clock, bind, token, POLL_MS, KEEPALIVE_MS, Limits.DEFAULT);
    }

    /**
     * Refuses to serve on an address that is not loopback without a token, or with a blank token.
     *
     * @throws IllegalArgumentException saying why
     */
    public static void checkAccess(InetAddress address, String token) {
        if (!address.isLoopbackAddress() && token == null) {
            throw new IllegalArgumentException(address.getHostAddress() + " is not a loopback address: serving the dashboard "
                    + "there needs --token TOKEN, which every request must then carry (or bind 127.0.0.1)");
        }
        if (token != null && token.isBlank()) {
            throw new IllegalArgumentException("the token is blank");
        }
    }

    /** As {@link #start}, with other timings (tests). */
    static WebDashboard start(StateStore store, List<String> declared, String configDir, Clock clock, InetSocketAddress bind,
                              String token, long pollMs, long keepaliveMs) throws IOException {
        return new WebDashboard(store, declared, configDir, clock, bind, token, pollMs, keepaliveMs, Limits.DEFAULT);
    }

    /** As {@link #start}, with other timings and limits (tests). */
    static WebDashboard start(StateStore store, List<String> declared, String configDir, Clock clock, InetSocketAddress bind,
                              String token, long pollMs, long keepaliveMs, Limits limits) throws IOException {
        return new WebDashboard(store, declared, configDir, clock, bind, token, pollMs, keepaliveMs, limits);
    }

    /** The page's address, with {@code ?token=} when there is a token. */
    public URI url() {
        return url;
    }

    @Override
    public void close() {
        synchronized (changed) {
            closed = true;
            changed.notifyAll();
        }
        poller.shutdownNow();
        server.close();
        try {
            poller.awaitTermination(5, TimeUnit.SECONDS); // the caller closes the store next
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    // ------------------------------------------------------------------------------------------ the store

    /** Reads the view again when the store changed, or when a live team's last record grows older than fresh. */
    private void poll() {
        try {
            long now = clock.millis();
            StateStore.Mark m = store.mark();
            if (m.equals(mark) && !(view.live() && now - lastLook(view) > TeamView.FRESH_MS)) {
                return;
            }
            view = TeamView.read(store, declared, hostOfAgent, EVENTS, now);
            mark = m;
            history.sample(view);
            String json = json(view);
            synchronized (changed) {
                snapshot = new Snapshot(snapshot == null ? 1 : snapshot.version() + 1, json);
                changed.notifyAll();
            }
            lastError = null;
        } catch (RuntimeException e) {
            if (snapshot() == null) {
                throw e;
            }
            if (!Objects.equals(e.getMessage(), lastError)) { // said once, not twice a second
                LOG.warn("the dashboard cannot read the state database: {}", e.getMessage());
                lastError = e.getMessage();
            }
        }
    }

    private static long lastLook(TeamView v) {
        return v.agents().stream().mapToLong(TeamView.AgentView::updatedAt).max().orElse(0);
    }

    private Snapshot snapshot() {
        synchronized (changed) {
            return snapshot;
        }
    }

    /** The snapshot after {@code version}, or the same one when none came within {@code ms} or the server closed. */
    private Snapshot after(long version, long ms) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(ms);
        synchronized (changed) {
            long left;
            while (!closed && snapshot.version() == version && (left = deadline - System.nanoTime()) > 0) {
                TimeUnit.NANOSECONDS.timedWait(changed, left);
            }
            return snapshot;
        }
    }

    private String json(TeamView v) {
        ObjectNode doc = JSON.createObjectNode();
        doc.put("config", configDir);
        doc.put("at", JsonViews.iso(v.at()));
        doc.put("live", v.live());
        ObjectNode counts = doc.putObject("counts");
        v.counts().forEach((state, n) -> counts.put(state.name(), n));
        ArrayNode agents = doc.putArray("agents");
        v.agents().forEach(a -> {
            ObjectNode o = agents.addObject();
            o.put("name", a.name());
            o.put("host", a.host());
            o.put("status", a.status());
            o.put("seen", a.seen());
            o.put("reason", a.reason());
            o.put("task", a.task());
            o.put("context_used_percent", a.contextUsed());
            o.put("since", JsonViews.iso(a.since()));
            o.put("updated_at", JsonViews.iso(a.updatedAt()));
            a.screen().forEach(o.putArray("screen")::add);
            o.put("prompts_sent", a.promptsSent());
            o.put("enter_presses", a.enterPresses());
            o.put("tasks_completed", a.tasksCompleted());
            o.put("restarts", a.restarts());
        });
        ArrayNode tasks = doc.putArray("tasks");
        v.tasks().forEach(t -> {
            ObjectNode task = JsonViews.task(t);
            dev.rulemux.domain.TaskBranch b = v.branches().get(t.id());
            if (b != null) {
                ObjectNode branch = task.putObject("branch");
                branch.put("name", b.branch());
                branch.put("base", b.base());
                branch.put("merge", b.merge().name());
                b.conflicts().forEach(branch.putArray("conflicts")::add);
            }
            tasks.add(task);
        });
        ArrayNode events = doc.putArray("events");
        v.events().forEach(e -> events.add(JsonViews.event(e)));
        ObjectNode contexts = doc.putObject("context_history");
        history.snapshot().forEach((agent, points) -> {
            ArrayNode a = contexts.putArray(agent);
            points.forEach(p -> a.addArray().add(p.at()).add(p.percent()));
        });
        try {
            return JSON.writeValueAsString(doc);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    // ------------------------------------------------------------------------------------------ HTTP

    private void handle(HttpFront.Exchange x) throws IOException {
        try {
            x.setHeader("Content-Security-Policy", CSP);
            x.setHeader("X-Content-Type-Options", "nosniff");
            x.setHeader("Cache-Control", "no-store");
            x.setHeader("Referrer-Policy", "no-referrer");
            x.setHeader("X-Frame-Options", "DENY");
            if (hosts != null && !hosts.contains(hostName(x.header("Host")))) {
                send(x, 403, TEXT, "this dashboard answers only requests to localhost, 127.0.0.1 or [::1]\n");
                return;
            }
            if (tokenHash != null && !authorized(x)) {
                x.setHeader("WWW-Authenticate", "Bearer");
                send(x, 401, TEXT, "a token is needed: open the address rulemux serve printed\n");
                return;
            }
            String method = x.method();
            if (!method.equals("GET") && !method.equals("HEAD")) {
                x.setHeader("Allow", "GET, HEAD");
                send(x, 405, TEXT, "the dashboard is read-only: GET or HEAD only\n");
                return;
            }
            switch (x.uri().getPath() == null ? "" : x.uri().getPath()) {
                case "/" -> send(x, 200, "text/html; charset=utf-8", PAGE);
                case "/api/state" -> send(x, 200, "application/json", snapshot().json());
                case "/events" -> stream(x);
                default -> send(x, 404, TEXT, "no such page: / is the dashboard, /api/state its JSON, /events its stream\n");
            }
        } catch (IOException e) {
            LOG.debug("a dashboard client went away: {}", e.toString());
        } finally {
            x.close();
        }
    }

    /** The host of a {@code Host} header, without its port ({@code [::1]} keeps its brackets), lower case. */
    private static String hostName(String header) {
        if (header == null) {
            return "";
        }
        String host = header.trim().toLowerCase(Locale.ROOT);
        int colon = host.lastIndexOf(':');
        return colon > host.lastIndexOf(']') ? host.substring(0, colon) : host;
    }

    private boolean authorized(HttpFront.Exchange x) {
        String given = null;
        String auth = x.header("Authorization");
        if (auth != null && auth.regionMatches(true, 0, "Bearer ", 0, 7)) {
            given = auth.substring(7).trim();
        }
        String query = x.uri().getRawQuery();
        if (given == null && query != null) {
            for (String pair : query.split("&")) {
                if (pair.startsWith("token=")) {
                    given = URLDecoder.decode(pair.substring(6), StandardCharsets.UTF_8);
                }
            }
        }
        return given != null && MessageDigest.isEqual(sha256(given), tokenHash); // equal lengths: constant time
    }

    private static void send(HttpFront.Exchange x, int code, String type, String body) throws IOException {
        send(x, code, type, body.getBytes(StandardCharsets.UTF_8));
    }

    private static void send(HttpFront.Exchange x, int code, String type, byte[] body) throws IOException {
        x.setHeader("Content-Type", type);
        if (x.method().equals("HEAD") || body.length == 0) {
            x.sendHeaders(code, -1);
            return;
        }
        x.sendHeaders(code, body.length);
        x.body().write(body);
    }

    /** A {@code state} event now and at each change, a keepalive comment when nothing changed for a while. */
    private void stream(HttpFront.Exchange x) throws IOException {
        if (x.method().equals("HEAD")) {
            x.setHeader("Content-Type", "text/event-stream");
            x.sendHeaders(200, -1);
            return;
        }
        InetAddress client = x.remote();
        boolean share;
        synchronized (streamsByAddress) {
            share = streamsByAddress.getOrDefault(client, 0) < limits.streamsPerAddress();
            if (share) {
                streamsByAddress.merge(client, 1, Integer::sum);
            }
        }
        if (!share) {
            send(x, 503, TEXT, "too many dashboards are open from your address at once\n");
            return;
        }
        try {
            if (!streams.tryAcquire()) {
                send(x, 503, TEXT, "too many dashboards are open at once\n");
                return;
            }
            try {
                OutputStream out = x.body();
                x.setHeader("Content-Type", "text/event-stream; charset=utf-8");
                x.sendHeaders(200, 0);
                Snapshot sent = snapshot();
                write(out, "retry: 2000\nevent: state\ndata: " + sent.json() + "\n\n");
                while (true) {
                    Snapshot next = after(sent.version(), keepaliveMs);
                    if (isClosed()) {
                        return;
                    }
                    write(out, next == sent ? ": keepalive\n\n" : "event: state\ndata: " + next.json() + "\n\n");
                    sent = next;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                streams.release();
            }
        } finally {
            synchronized (streamsByAddress) {
                streamsByAddress.computeIfPresent(client, (a, n) -> n == 1 ? null : n - 1);
            }
        }
    }

    private boolean isClosed() {
        synchronized (changed) {
            return closed;
        }
    }

    private static void write(OutputStream out, String text) throws IOException {
        out.write(text.getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    // ------------------------------------------------------------------------------------------ the page

    private static byte[] page() {
        try (InputStream in = WebDashboard.class.getResourceAsStream("dashboard.html")) {
            return Objects.requireNonNull(in, "dashboard.html is missing from the jar").readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The CSP sources allowing the page's inline {@code <script>} or {@code <style>} blocks: their SHA-256 hashes. */
    private static String hashes(String tag) {
        Matcher m = Pattern.compile("<" + tag + ">(.*?)</" + tag + ">", Pattern.DOTALL)
                .matcher(new String(PAGE, StandardCharsets.UTF_8));
        return m.results().map(r -> "'sha256-" + Base64.getEncoder().encodeToString(sha256(r.group(1))) + "'")
                .collect(Collectors.joining(" "));
    }

    private static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, name + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}
