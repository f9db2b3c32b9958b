package dev.rulemux.dashboard;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The dashboard's HTTP/1.1 server, small and bounded, since it faces clients before they are authorised. One selector
 * thread accepts connections and reads each request head without a thread of its own, within limits: a head must end
 * within {@link WebDashboard.Limits#headTimeout} and {@link WebDashboard.Limits#maxHead} bytes, and one client address
 * ({@link WebDashboard.Limits#perAddress}) and all clients ({@link WebDashboard.Limits#total}) may have only so many
 * connections whose head has not ended (more are closed at once). A whole head goes to a fixed pool of
 * {@link WebDashboard.Limits#handlers} threads with a queue of {@link WebDashboard.Limits#queue}; beyond that the request
 * is answered 503. A response that cannot be written within {@link WebDashboard.Limits#writeTimeout} (a client that
 * stops reading) closes its connection. One request per connection ({@code Connection: close}); bodies are not read.
 * (The JDK's HttpServer reads request heads on its handler threads, without a time limit: one thread per half-open
 * connection.)
 */
final class HttpFront implements AutoCloseable {

    /** Answers one request. */
    interface Handler {
        void handle(Exchange x) throws IOException;
    }

    private final WebDashboard.Limits limits;
    private final Handler handler;
    private final ServerSocketChannel server;
    private final Selector selector;
    private final ThreadPoolExecutor pool;
    private final Thread front;
    private final Map<InetAddress, Integer> unfinished = new HashMap<>(); // front thread only
    private final Set<Exchange> writing = ConcurrentHashMap.newKeySet();
    private int unfinishedTotal; // front thread only
    private volatile boolean closed;

    /** A connection whose request head is being read. */
    private static final class Head {
        final SocketChannel channel;
        final InetAddress address;
        final long deadline;
        final ByteBuffer bytes;
        int scanned; // where the search for the head's end goes on from

        Head(SocketChannel channel, InetAddress address, long deadline, int max) {
            this.channel = channel;
            this.address = address;
            this.deadline = deadline;
            this.bytes = ByteBuffer.allocate(max);
        }
    }

    HttpFront(InetSocketAddress bind, WebDashboard.Limits limits, Handler handler, String name) throws IOException {
        this.limits = limits;
        this.handler = handler;
        server = ServerSocketChannel.open();
        server.bind(bind, 128);
        server.configureBlocking(false);
        selector = Selector.open();
        server.register(selector, SelectionKey.OP_ACCEPT);
        AtomicInteger n = new AtomicInteger();
        BlockingQueue<Runnable> queue = limits.queue() == 0 ? new SynchronousQueue<>() : new ArrayBlockingQueue<>(limits.queue());
        pool = new ThreadPoolExecutor(limits.handlers(), limits.handlers(), 30, TimeUnit.SECONDS, queue, r -> {
            Thread t = new Thread(r, name + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        pool.allowCoreThreadTimeOut(true);
        front = new Thread(this::run, name + "-front");
        front.setDaemon(true);
        front.start();
    }

    int port() {
        try {
            return ((InetSocketAddress) server.getLocalAddress()).getPort();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        closed = true;
        selector.wakeup();
        try {
            front.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        pool.shutdownNow();
        writing.forEach(Exchange::close);
    }

    // ------------------------------------------------------------------------------------------ the front thread

    private void run() {
        List<Head> heads = new ArrayList<>();
        try {
            while (!closed) {
                long now = System.nanoTime();
                long wait = heads.stream().mapToLong(h -> h.deadline - now).min().orElse(Long.MAX_VALUE);
                if (!writing.isEmpty()) {
                    wait = Math.min(wait, TimeUnit.SECONDS.toNanos(1));
                }
                long ms = wait == Long.MAX_VALUE ? 0 : Math.max(1, TimeUnit.NANOSECONDS.toMillis(wait) + 1);
                selector.select(ms);
                List<Head> whole = new ArrayList<>();
                Iterator<SelectionKey> keys = selector.selectedKeys().iterator();
                while (keys.hasNext()) {
                    SelectionKey key = keys.next();
                    keys.remove();
                    if (!key.isValid()) {
                        continue;
                    }
                    if (key.isAcceptable()) {
                        accept(heads);
                    } else if (key.isReadable()) {
                        Head h = (Head) key.attachment();
                        read(key, h, heads, whole);
                    }
                }
                expire(heads);
                stalledWrites();
                if (!whole.isEmpty()) {
                    selector.selectNow(); // deregisters the cancelled keys, so that their channels can block
                    whole.forEach(this::dispatch);
                }
            }
        } catch (IOException | ClosedSelectorException e) {
            if (!closed) {
                org.slf4j.LoggerFactory.getLogger(HttpFront.class).warn("the dashboard stopped accepting: {}", e.toString());
            }
        } finally {
            heads.forEach(h -> quietly(h.channel));
            quietly(server);
            try {
                selector.close();
            } catch (IOException ignored) {
                // closing
            }
        }
    }

    private void accept(List<Head> heads) throws IOException {
        SocketChannel c;
        while ((c = server.accept()) != null) {
            InetAddress address = ((InetSocketAddress) c.getRemoteAddress()).getAddress();
            if (unfinishedTotal >= limits.total() || unfinished.getOrDefault(address, 0) >= limits.perAddress()) {
                quietly(c); // pre-auth: nothing more is spent on it
                continue;
            }
            c.configureBlocking(false);
            c.setOption(StandardSocketOptions.TCP_NODELAY, true);
            Head h = new Head(c, address, System.nanoTime() + limits.headTimeout().toNanos(), limits.maxHead());
            c.register(selector, SelectionKey.OP_READ, h);
            heads.add(h);
            unfinished.merge(address, 1, Integer::sum);
            unfinishedTotal++;
        }
    }

    private void read(SelectionKey key, Head h, List<Head> heads, List<Head> whole) {
        int n;
        try {
            n = h.channel.read(h.bytes);
        } catch (IOException e) {
            n = -1;
        }
        if (n == -1) {
            drop(h, heads, null);
            return;
        }
        if (ended(h)) {
            key.cancel();
            forget(h, heads);
            whole.add(h);
        } else if (!h.bytes.hasRemaining()) {
            drop(h, heads, "431 Request Header Fields Too Large");
        }
    }

    /** The head ends with an empty line (CRLF CRLF, or bare LFs). */
    private static boolean ended(Head h) {
        ByteBuffer b = h.bytes;
        int end = b.position();
        for (int i = Math.max(1, h.scanned - 3); i < end; i++) {
            if (b.get(i) == '\n' && (b.get(i - 1) == '\n' || i >= 3 && b.get(i - 1) == '\r' && b.get(i - 2) == '\n'
                    && b.get(i - 3) == '\r')) {
                return true;
            }
        }
        h.scanned = end;
        return false;
    }

    private void expire(List<Head> heads) {
        long now = System.nanoTime();
        for (Head h : new ArrayList<>(heads)) {
            if (now - h.deadline >= 0) {
                drop(h, heads, "408 Request Timeout");
            }
        }
    }

    private void stalledWrites() {
        long now = System.nanoTime();
        for (Exchange x : writing) {
            long since = x.writingSince;
            if (since != 0 && now - since > limits.writeTimeout().toNanos()) {
                x.close();
            }
        }
    }

    /** Closes a connection whose head will not be read, telling the client why when it can (never blocking). */
    private void drop(Head h, List<Head> heads, String status) {
        forget(h, heads);
        if (status != null) {
            try {
                h.channel.write(ByteBuffer.wrap(("HTTP/1.1 " + status + "\r\nConnection: close\r\nContent-Length: 0\r\n\r\n")
                        .getBytes(StandardCharsets.US_ASCII)));
            } catch (IOException ignored) {
                // it went away
            }
        }
        quietly(h.channel);
    }

    private void forget(Head h, List<Head> heads) {
        if (heads.remove(h)) {
            unfinished.computeIfPresent(h.address, (a, c) -> c == 1 ? null : c - 1);
            unfinishedTotal--;
        }
    }

    private void dispatch(Head h) {
        try {
            h.channel.configureBlocking(true);
        } catch (IOException e) {
            quietly(h.channel);
            return;
        }
        try {
            pool.execute(() -> serve(h));
        } catch (RejectedExecutionException busy) {
            try {
                h.channel.write(ByteBuffer.wrap(("HTTP/1.1 503 Service Unavailable\r\nConnection: close\r\nContent-Type: "
                        + "text/plain; charset=utf-8\r\nContent-Length: 29\r\n\r\nthe dashboard is too busy\r\n\r\n")
                        .getBytes(StandardCharsets.US_ASCII)));
            } catch (IOException ignored) {
                // it went away
            }
            quietly(h.channel);
        }
    }

    // ------------------------------------------------------------------------------------------ handler threads

    private void serve(Head h) {
        Exchange x;
        try {
            x = Exchange.parse(h, this);
        } catch (IllegalArgumentException bad) {
            try {
                h.channel.write(ByteBuffer.wrap("HTTP/1.1 400 Bad Request\r\nConnection: close\r\nContent-Length: 0\r\n\r\n"
                        .getBytes(StandardCharsets.US_ASCII)));
            } catch (IOException ignored) {
                // it went away
            }
            quietly(h.channel);
            return;
        }
        try {
            handler.handle(x);
        } catch (IOException | RuntimeException e) {
            org.slf4j.LoggerFactory.getLogger(HttpFront.class).debug("a dashboard request ended: {}", e.toString());
        } finally {
            x.close();
        }
    }

    private static void quietly(java.io.Closeable c) {
        try {
            c.close();
        } catch (IOException ignored) {
            // closing
        }
    }

    /** One request and its response: the parts of the JDK's HttpExchange the dashboard uses. */
    static final class Exchange {
        private final SocketChannel channel;
        private final HttpFront front;
        private final String method;
        private final URI uri;
        private final Map<String, String> requestHeaders;
        private final InetAddress remote;
        private final Map<String, String> responseHeaders = new LinkedHashMap<>();
        private final OutputStream body;
        private volatile long writingSince;
        private boolean sent;

        private Exchange(SocketChannel channel, HttpFront front, String method, URI uri, Map<String, String> headers,
                         InetAddress remote) {
            this.channel = channel;
            this.front = front;
            this.method = method;
            this.uri = uri;
            this.requestHeaders = headers;
            this.remote = remote;
            OutputStream raw = Channels.newOutputStream(channel);
            this.body = new OutputStream() {
                @Override
                public void write(int b) throws IOException {
                    write(new byte[] {(byte) b}, 0, 1);
                }

                @Override
                public void write(byte[] b, int off, int len) throws IOException {
                    writingSince = System.nanoTime() | 1; // never 0 while writing
                    try {
                        raw.write(b, off, len);
                    } finally {
                        writingSince = 0;
                    }
                }
            };
            front.writing.add(this);
        }

        static Exchange parse(Head h, HttpFront front) {
            String head = new String(h.bytes.array(), 0, h.bytes.position(), StandardCharsets.ISO_8859_1);
            String[] lines = head.split("\r?\n");
            String[] request = lines[0].split(" ");
            if (request.length != 3 || !request[2].startsWith("HTTP/1.") || request[0].isEmpty()) {
                throw new IllegalArgumentException("bad request line");
            }
            URI uri;
            try {
                uri = new URI(request[1]);
            } catch (java.net.URISyntaxException e) {
                throw new IllegalArgumentException(e);
            }
            Map<String, String> headers = new HashMap<>();
            for (int i = 1; i < lines.length && !lines[i].isEmpty(); i++) {
                int colon = lines[i].indexOf(':');
                if (colon <= 0) {
                    throw new IllegalArgumentException("bad header line");
                }
                headers.putIfAbsent(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT), lines[i].substring(colon + 1).trim());
            }
            return new Exchange(h.channel, front, request[0], uri, headers, h.address);
        }

        String method() {
            return method;
        }

        URI uri() {
            return uri;
        }

        /** A request header (the first of that name), or null. */
        String header(String name) {
            return requestHeaders.get(name.toLowerCase(Locale.ROOT));
        }

        InetAddress remote() {
            return remote;
        }

        void setHeader(String name, String value) {
            responseHeaders.put(name, value);
        }

        /**
         * Sends the status line and headers.
         *
         * @param length the body's length; -1: no body; 0: a body of unknown length, ended by closing (a stream)
         */
        void sendHeaders(int code, long length) throws IOException {
            if (sent) {
                throw new IllegalStateException("headers already sent");
            }
            sent = true;
            StringBuilder s = new StringBuilder("HTTP/1.1 ").append(code).append(' ').append(reason(code)).append("\r\n");
            responseHeaders.forEach((k, v) -> s.append(k).append(": ").append(v).append("\r\n"));
            s.append("Connection: close\r\n");
            if (length > 0) {
                s.append("Content-Length: ").append(length).append("\r\n");
            } else if (length < 0 && !method.equals("HEAD")) {
                s.append("Content-Length: 0\r\n");
            }
            s.append("\r\n");
            body.write(s.toString().getBytes(StandardCharsets.ISO_8859_1));
        }

        OutputStream body() {
            return body;
        }

        void close() {
            front.writing.remove(this);
            try {
                if (channel.isOpen()) {
                    channel.shutdownOutput();
                }
            } catch (IOException ignored) {
                // it went away
            }
            quietly(channel);
        }

        private static String reason(int code) {
            return switch (code) {
                case 200 -> "OK";
                case 400 -> "Bad Request";
                case 401 -> "Unauthorized";
                case 403 -> "Forbidden";
                case 404 -> "Not Found";
                case 405 -> "Method Not Allowed";
                case 503 -> "Service Unavailable";
                default -> "Status";
            };
        }
    }
}
