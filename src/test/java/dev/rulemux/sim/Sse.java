package dev.rulemux.sim;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/** A parsed server-sent-events body, for tests. */
record Sse(List<Event> events, int comments) {

    /** One event: its {@code event:} name (null when it had none) and its {@code data:} as JSON. */
    record Event(String name, JsonNode data) {
    }

    static Sse parse(String body) {
        List<Event> events = new ArrayList<>();
        int comments = 0;
        for (String block : body.split("\n\n")) {
            String name = null;
            StringBuilder data = new StringBuilder();
            for (String line : block.split("\n")) {
                if (line.startsWith(":")) {
                    comments++;
                } else if (line.startsWith("event: ")) {
                    name = line.substring("event: ".length());
                } else if (line.startsWith("data: ")) {
                    data.append(line.substring("data: ".length()));
                }
            }
            if (data.length() > 0) {
                events.add(new Event(name, Json.read(data.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8))));
            }
        }
        return new Sse(events, comments);
    }

    List<String> names() {
        return events.stream().map(Event::name).toList();
    }

    /** The distinct names in order of first appearance. */
    List<String> distinctNames() {
        return names().stream().distinct().toList();
    }

    List<Event> named(String name) {
        return events.stream().filter(e -> name.equals(e.name())).toList();
    }

    Event last() {
        return events.get(events.size() - 1);
    }
}
