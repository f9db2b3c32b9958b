package dev.rulemux.config;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A YAML value that remembers where it was written, so that validation can point at the file and line.
 * Jackson's own tree drops locations; this one keeps them.
 */
public sealed interface YamlNode permits YamlNode.Scalar, YamlNode.Seq, YamlNode.Mapping {

    Path file();

    int line();

    /** A short name of the node's kind, for error messages ("a list", "a mapping", "a text"). */
    String kind();

    /** A scalar; {@code text} is null for YAML null ({@code ~}, {@code null} or nothing). */
    record Scalar(Path file, int line, String text) implements YamlNode {
        @Override
        public String kind() {
            return text == null ? "nothing" : "a single value";
        }
    }

    record Seq(Path file, int line, List<YamlNode> items) implements YamlNode {
        @Override
        public String kind() {
            return "a list";
        }
    }

    /** A mapping with its keys in file order; {@code keyLines} gives the line each key was written on. */
    record Mapping(Path file, int line, Map<String, YamlNode> entries, Map<String, Integer> keyLines) implements YamlNode {
        public Mapping {
            entries = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(entries));
            keyLines = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(keyLines));
        }

        @Override
        public String kind() {
            return "a mapping";
        }

        public int lineOf(String key) {
            return keyLines.getOrDefault(key, line);
        }
    }
}
