package dev.rulemux.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rulemux.store.StateStore;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The dashboard's limits hold before any request is authorised: threads, slow heads, connections, event streams. */
class WebDashboardLimitsTest {

    @TempDir
    Path dir;

    final List<AutoCloseable> open = new ArrayList<>();

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

    WebDashboard serve(WebDashboard.Limits limits) throws IOException {
        try (StateStore loop = StateStore.open(dir)) {
            Teams.aTeam(loop, System.currentTimeMillis());
        }
        StateStore store = keep(StateStore.open(dir));
        return keep(WebDashboard.start(store, Teams.DECLARED, dir.toString(), Clock.systemUTC(),
                new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), null, 50, 300, limits));
    }

    /** A connection that sent the start of a request head, and no more. */
    Socket halfOpen(int port) throws IOException {
        Socket s = keep(new Socket(InetAddress.getLoopbackAddress(), port));
        s.setSoTimeout(5_000);
        OutputStream out = s.getOutputStream();
        out.write("GET /api/state HTTP/1.1\r\nHost: localhost\r\n".getBytes(StandardCharsets.US_ASCII));
        out.flush();
        return s;
    }

    /** A whole request; its status line. */
    static String statusLine(Socket s, String path) throws IOException {
        s.setSoTimeout(5_000);
        OutputStream out = s.getOutputStream();
        out.write(("GET " + path + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
        return new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.US_ASCII)).readLine();
    }

    /** True when the server closed {@code s} (read gives end of stream or a reset) before the socket's timeout. */
    static boolean closedByServer(Socket s) throws IOException {
        InputStream in = s.getInputStream();
        try {
            while (true) {
                int b = in.read();
                if (b == -1) {
                    return true;
                }
            }
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException reset) {
            return true;
        }
    }

    static long dashboardThreads() {
        return Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().startsWith("rulemux-web")
                || t.getName().startsWith("HTTP-Dispatcher")).count();
    }

    @Test
    void givenManyHalfOpenConnectionsThenTheDashboardsThreadsStayWithinTheirBoundAndItStillAnswers() throws Exception {
        WebDashboard.Limits limits = WebDashboard.Limits.DEFAULT.perAddress(1000);
        WebDashboard web = serve(limits);
        int port = web.url().getPort();

        for (int i = 0; i < 300; i++) {
            halfOpen(port);
        }
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
            assertThat(statusLine(s, "/api/state")).isEqualTo("HTTP/1.1 200 OK");
        }

        // at this point each half-open connection had its thread, before the fix
        assertThat(dashboardThreads()).isLessThanOrEqualTo(limits.handlers() + 3);
    }

    @Test
    void givenARequestHeadThatDoesNotEndWhenTheHeadTimeoutPassesThenTheConnectionIsClosed() throws Exception {
        WebDashboard web = serve(WebDashboard.Limits.DEFAULT.headTimeout(Duration.ofMillis(300)));

        Socket slow = halfOpen(web.url().getPort());

        assertThat(closedByServer(slow)).as("closed within the socket's 5 s").isTrue();
    }

    @Test
    void givenARequestHeadLargerThanItsLimitThenTheConnectionIsRefused() throws Exception {
        WebDashboard web = serve(WebDashboard.Limits.DEFAULT);
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), web.url().getPort())) {
            s.setSoTimeout(5_000);
            OutputStream out = s.getOutputStream();
            out.write("GET /api/state HTTP/1.1\r\nHost: localhost\r\n".getBytes(StandardCharsets.US_ASCII));
            String header = "X-Filler: " + "a".repeat(1000) + "\r\n";
            try {
                for (int i = 0; i < 20; i++) { // 20 KB of headers, more than 16 KiB
                    out.write(header.getBytes(StandardCharsets.US_ASCII));
                }
                out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
                out.flush();
            } catch (IOException closedEarly) {
                // the server may close before all of it is sent
            }
            String line = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.US_ASCII)).readLine();
            assertThat(line).isIn("HTTP/1.1 431 Request Header Fields Too Large", null);
        } catch (java.net.SocketException reset) {
            // refused by a reset: also not served
        }
    }

    @Test
    void givenOneAddressHoldsItsShareOfUnfinishedConnectionsThenItsNextConnectionIsClosedAtOnce() throws Exception {
        WebDashboard web = serve(WebDashboard.Limits.DEFAULT.perAddress(4));
        int port = web.url().getPort();
        for (int i = 0; i < 4; i++) {
            halfOpen(port);
        }

        Socket fifth = halfOpen(port);

        assertThat(closedByServer(fifth)).isTrue();
    }

    @Test
    void givenOneAddressHoldsItsShareOfEventStreamsThenItsNextStreamIsRefusedWith503() throws Exception {
        WebDashboard.Limits limits = WebDashboard.Limits.DEFAULT;
        WebDashboard web = serve(limits);
        int port = web.url().getPort();
        for (int i = 0; i < limits.streamsPerAddress(); i++) {
            Socket s = keep(new Socket(InetAddress.getLoopbackAddress(), port));
            BufferedReader r = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8));
            s.setSoTimeout(5_000);
            s.getOutputStream().write("GET /events HTTP/1.1\r\nHost: localhost\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            assertThat(r.readLine()).isEqualTo("HTTP/1.1 200 OK");
            String line;
            while (!(line = r.readLine()).startsWith("data: ")) {
                assertThat(line).isNotNull();
            }
        }

        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
            assertThat(statusLine(s, "/events")).isEqualTo("HTTP/1.1 503 Service Unavailable");
        }
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
            assertThat(statusLine(s, "/api/state")).as("other requests are still answered").isEqualTo("HTTP/1.1 200 OK");
        }
    }

    @Test
    void givenEveryHandlerIsTakenAndNoQueuePlaceIsLeftThenTheNextRequestIsAnswered503() throws Exception {
        WebDashboard web = serve(WebDashboard.Limits.DEFAULT.handlers(2, 0));
        int port = web.url().getPort();
        for (int i = 0; i < 2; i++) { // two streams hold the two handlers
            Socket s = keep(new Socket(InetAddress.getLoopbackAddress(), port));
            s.setSoTimeout(5_000);
            BufferedReader r = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8));
            s.getOutputStream().write("GET /events HTTP/1.1\r\nHost: localhost\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            assertThat(r.readLine()).isEqualTo("HTTP/1.1 200 OK");
        }

        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
            assertThat(statusLine(s, "/api/state")).isEqualTo("HTTP/1.1 503 Service Unavailable");
        }
    }
}
