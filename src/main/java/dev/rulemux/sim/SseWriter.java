package dev.rulemux.sim;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/** Writes a server-sent-event stream, flushing each event so the client sees it at once. */
final class SseWriter implements Closeable {

    private final OutputStream out;

    /** Starts a 200 event stream on the exchange (chunked: the length is unknown). */
    SseWriter(HttpExchange exchange) throws IOException {
        exchange.getResponseHeaders().set("content-type", "text/event-stream; charset=utf-8");
        exchange.getResponseHeaders().set("cache-control", "no-cache");
        exchange.sendResponseHeaders(200, 0);
        this.out = exchange.getResponseBody();
    }

    /** {@code event: NAME} and {@code data: JSON} (Anthropic, OpenAI). */
    void event(String name, JsonNode data) throws IOException {
        write("event: " + name + "\ndata: " + Json.write(data) + "\n\n");
    }

    /** A {@code data: JSON} line alone (Gemini). */
    void data(JsonNode data) throws IOException {
        write("data: " + Json.write(data) + "\n\n");
    }

    /** Text as it is ({@code data: [DONE]} of the OpenAI Chat Completions stream). */
    void raw(String text) throws IOException {
        write(text);
    }

    /** A comment line, which every SSE client ignores: keeps a slow stream alive. */
    void comment(String text) throws IOException {
        write(": " + text + "\n\n");
    }

    private void write(String text) throws IOException {
        out.write(text.getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    @Override
    public void close() throws IOException {
        out.close();
    }
}
