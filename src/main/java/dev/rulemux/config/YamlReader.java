package dev.rulemux.config;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a YAML document into {@link YamlNode}s that keep their line numbers; reports syntax errors, duplicate keys and
 * anchors or aliases (which the parser would not resolve).
 */
public final class YamlReader {

    private static final YAMLFactory FACTORY = YAMLFactory.builder().build();

    private YamlReader() {
    }

    /** Reads {@code file}; returns null (with a problem recorded) when it cannot be read or parsed. */
    public static YamlNode read(Path file, Problems problems) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (java.nio.charset.MalformedInputException e) {
            problems.add(file, 0, null, "is not UTF-8 text");
            return null;
        } catch (IOException e) {
            problems.add(file, 0, null, "cannot be read: " + e.getMessage());
            return null;
        }
        return parse(file, text, problems);
    }

    /** Parses {@code text} as if it were the content of {@code file}. */
    public static YamlNode parse(Path file, String text, Problems problems) {
        try (Reader reader = new StringReader(text); JsonParser parser = FACTORY.createParser(reader)) {
            JsonToken first = parser.nextToken();
            if (first == null) {
                return new YamlNode.Scalar(file, 1, null);
            }
            return readValue(file, parser, problems, "");
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            int line = at == null ? 0 : at.getLineNr();
            problems.add(file, line, null, "is not valid YAML: " + explain(e.getOriginalMessage()));
            return null;
        } catch (IOException e) {
            problems.add(file, 0, null, "cannot be read: " + e.getMessage());
            return null;
        }
    }

    private static YamlNode readValue(Path file, JsonParser parser, Problems problems, String field) throws IOException {
        JsonToken token = parser.currentToken();
        int line = parser.currentTokenLocation().getLineNr();
        refuseAnchorsAndAliases(file, (YAMLParser) parser, problems, field, line);
        switch (token) {
            case START_OBJECT -> {
                Map<String, YamlNode> entries = new LinkedHashMap<>();
                Map<String, Integer> keyLines = new LinkedHashMap<>();
                while (parser.nextToken() != JsonToken.END_OBJECT) {
                    String key = parser.currentName();
                    int keyLine = parser.currentTokenLocation().getLineNr();
                    parser.nextToken();
                    YamlNode value = readValue(file, parser, problems, field.isEmpty() ? key : field + "." + key);
                    if (entries.containsKey(key)) {
                        problems.add(file, keyLine, key, "is given twice (first on line " + keyLines.get(key) + ")");
                        continue;
                    }
                    entries.put(key, value);
                    keyLines.put(key, keyLine);
                }
                return new YamlNode.Mapping(file, line, entries, keyLines);
            }
            case START_ARRAY -> {
                List<YamlNode> items = new ArrayList<>();
                while (parser.nextToken() != JsonToken.END_ARRAY) {
                    items.add(readValue(file, parser, problems, field + "[" + items.size() + "]"));
                }
                return new YamlNode.Seq(file, line, items);
            }
            case VALUE_NULL -> {
                return new YamlNode.Scalar(file, line, null);
            }
            default -> {
                return new YamlNode.Scalar(file, line, parser.getText());
            }
        }
    }

    /**
     * Refuses a YAML anchor ({@code &name}) or alias ({@code *name}, merge keys {@code <<: *name} included): the
     * parser does not resolve aliases, so an alias would silently become the text of its name.
     */
    private static void refuseAnchorsAndAliases(Path file, YAMLParser parser, Problems problems, String field, int line)
            throws IOException {
        String why = ": rulemux does not support anchors and aliases; write the value out where it is used";
        if (parser.isCurrentAlias()) {
            problems.add(file, line, field, "is the YAML alias *" + parser.getText() + why);
        } else if (parser.getCurrentAnchor() != null) {
            problems.add(file, line, field, "defines the YAML anchor &" + parser.getCurrentAnchor() + why);
        }
    }

    /** SnakeYAML's message without its position lines (the problem carries the line) and carets. */
    private static String explain(String message) {
        if (message == null) {
            return "unknown error";
        }
        StringBuilder out = new StringBuilder();
        for (String part : message.split("\n")) {
            String p = part.strip();
            if (p.isEmpty() || p.startsWith("in 'reader'") || p.startsWith("in '") || p.matches("\\^+") || p.startsWith("at [Source")) {
                continue;
            }
            if (out.length() > 0) {
                out.append(": ");
            }
            out.append(p.endsWith(":") ? p.substring(0, p.length() - 1) : p);
        }
        return out.toString();
    }
}
