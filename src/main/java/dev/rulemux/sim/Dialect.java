package dev.rulemux.sim;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;

/** One model API's wire format: which paths it serves, how to read a request, how to write a {@link Reply}. */
interface Dialect {

    /** {@code anthropic}, {@code openai} or {@code gemini}. */
    String api();

    /** True when this dialect answers {@code method path} (path without its query). */
    boolean serves(String method, String path);

    /** Reads the prompt and the kind of request from a request body. */
    Turn read(String path, JsonNode body);

    /** Writes the reply to the exchange and closes it. */
    void answer(HttpExchange exchange, Turn turn, Reply reply) throws IOException;
}
