package dev.rulemux.config;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import dev.rulemux.domain.Durations;

/**
 * Typed access to the fields of one YAML mapping. Every read records the key as known; {@link #done()}
 * reports the keys nobody asked for as unknown. Each problem names the file, the line of the key and the
 * field's full path (for example {@code agents[2].tier}).
 */
public final class Fields {

    private final YamlNode.Mapping map;
    private final String path;
    private final Problems problems;
    private final Set<String> known = new HashSet<>();

    private Fields(YamlNode.Mapping map, String path, Problems problems) {
        this.map = map;
        this.path = path;
        this.problems = problems;
    }

    /** Reads {@code node} as a mapping; returns empty (with a problem) when it is something else. */
    public static Optional<Fields> of(YamlNode node, String path, Problems problems) {
        if (node instanceof YamlNode.Mapping m) {
            return Optional.of(new Fields(m, path, problems));
        }
        problems.add(node, path, "must be a mapping of fields, not " + node.kind());
        return Optional.empty();
    }

    public YamlNode.Mapping node() {
        return map;
    }

    public int line() {
        return map.line();
    }

    public Problems problems() {
        return problems;
    }

    public String field(String key) {
        return path.isEmpty() ? key : path + "." + key;
    }

    public boolean has(String key) {
        known.add(key);
        YamlNode value = map.entries().get(key);
        return value != null && !(value instanceof YamlNode.Scalar s && s.text() == null);
    }

    public Optional<YamlNode> raw(String key) {
        known.add(key);
        YamlNode value = map.entries().get(key);
        if (value == null || value instanceof YamlNode.Scalar s && s.text() == null) {
            return Optional.empty();
        }
        return Optional.of(value);
    }

    public int lineOf(String key) {
        return map.lineOf(key);
    }

    public void problem(String key, String message) {
        problems.add(map.file(), map.lineOf(key), field(key), message);
    }

    public Optional<String> text(String key) {
        return raw(key).flatMap(node -> {
            if (node instanceof YamlNode.Scalar s) {
                return Optional.of(s.text());
            }
            problem(key, "must be a single value, not " + node.kind());
            return Optional.empty();
        });
    }

    /** A required text; records "is missing" when absent or blank. */
    public String requiredText(String key) {
        Optional<String> value = text(key);
        if (value.isEmpty() && !raw(key).isPresent()) {
            problems.add(map.file(), map.line(), field(key), "is missing");
            return null;
        }
        if (value.isPresent() && value.get().isBlank()) {
            problem(key, "must not be empty");
            return null;
        }
        return value.orElse(null);
    }

    public String text(String key, String fallback) {
        return text(key).orElse(fallback);
    }

    public <E extends Enum<E>> E choice(String key, Class<E> type, E fallback) {
        Optional<String> value = text(key);
        if (value.isEmpty()) {
            return fallback;
        }
        for (E constant : type.getEnumConstants()) {
            if (constant.name().equalsIgnoreCase(value.get().trim())) {
                return constant;
            }
        }
        problem(key, "must be one of " + choices(type) + ", not \"" + value.get() + "\"");
        return fallback;
    }

    public <E extends Enum<E>> E requiredChoice(String key, Class<E> type) {
        if (!has(key)) {
            problems.add(map.file(), map.line(), field(key), "is missing (one of " + choices(type) + ")");
            return null;
        }
        return choice(key, type, null);
    }

    public int integer(String key, int fallback, int min, int max) {
        Optional<String> value = text(key);
        if (value.isEmpty()) {
            return fallback;
        }
        try {
            int n = Integer.parseInt(value.get().trim());
            if (n < min || n > max) {
                problem(key, "must be between " + min + " and " + max + ", not " + n);
                return fallback;
            }
            return n;
        } catch (NumberFormatException e) {
            problem(key, "must be a whole number, not \"" + value.get() + "\"");
            return fallback;
        }
    }

    /** A size in bytes: {@code 10MiB}, {@code 512KiB}, {@code 1GiB} or a number of bytes; at least {@code min}. */
    public long size(String key, long fallback, long min) {
        Optional<String> value = text(key);
        if (value.isEmpty()) {
            return fallback;
        }
        java.util.regex.Matcher m = Pattern.compile("(\\d{1,12})\\s*(B|KiB|MiB|GiB)?").matcher(value.get().trim());
        if (!m.matches()) {
            problem(key, "must be a size such as 512KiB, 10MiB or 1GiB, not \"" + value.get() + "\"");
            return fallback;
        }
        long unit = switch (m.group(2) == null ? "B" : m.group(2)) {
            case "KiB" -> 1024L;
            case "MiB" -> 1024L * 1024;
            case "GiB" -> 1024L * 1024 * 1024;
            default -> 1L;
        };
        long bytes = Long.parseLong(m.group(1)) * unit;
        if (bytes < min) {
            problem(key, "must be at least " + min / 1024 + "KiB, not " + value.get().trim());
            return fallback;
        }
        return bytes;
    }

    public boolean flag(String key, boolean fallback) {
        Optional<String> value = text(key);
        if (value.isEmpty()) {
            return fallback;
        }
        return switch (value.get().trim().toLowerCase(Locale.ROOT)) {
            case "true", "yes", "on" -> true;
            case "false", "no", "off" -> false;
            default -> {
                problem(key, "must be true or false, not \"" + value.get() + "\"");
                yield fallback;
            }
        };
    }

    public Duration duration(String key, Duration fallback) {
        Optional<String> value = text(key);
        if (value.isEmpty()) {
            return fallback;
        }
        try {
            return Durations.parse(value.get());
        } catch (IllegalArgumentException e) {
            problem(key, e.getMessage());
            return fallback;
        }
    }

    /** A list of texts; a single value is taken as a list of one. */
    public List<String> texts(String key) {
        Optional<YamlNode> node = raw(key);
        if (node.isEmpty()) {
            return List.of();
        }
        List<String> out = new ArrayList<>();
        if (node.get() instanceof YamlNode.Scalar s) {
            out.add(s.text());
            return out;
        }
        if (node.get() instanceof YamlNode.Seq seq) {
            for (int i = 0; i < seq.items().size(); i++) {
                YamlNode item = seq.items().get(i);
                if (item instanceof YamlNode.Scalar s && s.text() != null) {
                    out.add(s.text());
                } else {
                    problems.add(item, field(key) + "[" + i + "]", "must be a single value, not " + item.kind());
                }
            }
            return out;
        }
        problem(key, "must be a list, not " + node.get().kind());
        return out;
    }

    /** A mapping of text to text (for example {@code env}). */
    public Map<String, String> textMap(String key) {
        Map<String, String> out = new LinkedHashMap<>();
        Optional<YamlNode> node = raw(key);
        if (node.isEmpty()) {
            return out;
        }
        if (!(node.get() instanceof YamlNode.Mapping m)) {
            problem(key, "must be a mapping, not " + node.get().kind());
            return out;
        }
        m.entries().forEach((k, v) -> {
            if (v instanceof YamlNode.Scalar s) {
                out.put(k, s.text() == null ? "" : s.text());
            } else {
                problems.add(m.file(), m.lineOf(k), field(key) + "." + k, "must be a single value, not " + v.kind());
            }
        });
        return out;
    }

    /** A regular expression; records the syntax error with its position when it does not compile. */
    public Optional<Pattern> regex(String key) {
        return text(key).flatMap(source -> compile(source, map.file(), map.lineOf(key), field(key), problems));
    }

    /** A list of regular expressions (a single one is a list of one). */
    public List<Pattern> regexes(String key) {
        List<Pattern> out = new ArrayList<>();
        List<String> sources = texts(key);
        for (int i = 0; i < sources.size(); i++) {
            String where = sources.size() == 1 && raw(key).get() instanceof YamlNode.Scalar ? field(key) : field(key) + "[" + i + "]";
            compile(sources.get(i), map.file(), lineOfItem(key, i), where, problems).ifPresent(out::add);
        }
        return out;
    }

    /** A list of mappings, each read by {@code reader} with its own path ({@code key[i]}). */
    public <T> List<T> list(String key, Function<Fields, T> reader) {
        List<T> out = new ArrayList<>();
        Optional<YamlNode> node = raw(key);
        if (node.isEmpty()) {
            return out;
        }
        if (!(node.get() instanceof YamlNode.Seq seq)) {
            problem(key, "must be a list, not " + node.get().kind());
            return out;
        }
        for (int i = 0; i < seq.items().size(); i++) {
            String itemPath = field(key) + "[" + i + "]";
            Fields.of(seq.items().get(i), itemPath, problems).ifPresent(f -> {
                T value = reader.apply(f);
                f.done();
                if (value != null) {
                    out.add(value);
                }
            });
        }
        return out;
    }

    /** A nested mapping read by {@code reader}; empty when absent. */
    public <T> Optional<T> nested(String key, Function<Fields, T> reader) {
        Optional<YamlNode> node = raw(key);
        if (node.isEmpty()) {
            return Optional.empty();
        }
        return Fields.of(node.get(), field(key), problems).map(f -> {
            T value = reader.apply(f);
            f.done();
            return value;
        });
    }

    /** Reports every key of this mapping that no reader asked for. */
    public void done() {
        for (String key : map.entries().keySet()) {
            if (!known.contains(key)) {
                List<String> names = new ArrayList<>(known);
                names.sort(null);
                problem(key, "is not a known field" + suggestion(key, names) + " (known: " + String.join(", ", names) + ")");
            }
        }
    }

    private int lineOfItem(String key, int index) {
        YamlNode node = map.entries().get(key);
        if (node instanceof YamlNode.Seq seq && index < seq.items().size()) {
            return seq.items().get(index).line();
        }
        return map.lineOf(key);
    }

    static Optional<Pattern> compile(String source, java.nio.file.Path file, int line, String field, Problems problems) {
        try {
            return Optional.of(Pattern.compile(source));
        } catch (PatternSyntaxException e) {
            problems.add(file, line, field, "is not a valid regular expression: " + e.getDescription()
                    + (e.getIndex() >= 0 ? " near index " + e.getIndex() : "") + " in \"" + source + "\"");
            return Optional.empty();
        }
    }

    private static <E extends Enum<E>> String choices(Class<E> type) {
        List<String> names = new ArrayList<>();
        for (E constant : type.getEnumConstants()) {
            names.add(constant.name().toLowerCase(Locale.ROOT));
        }
        return String.join("|", names);
    }

    private static String suggestion(String key, List<String> names) {
        String best = null;
        int bestDistance = 3;
        for (String name : names) {
            int d = distance(key.toLowerCase(Locale.ROOT), name);
            if (d < bestDistance) {
                bestDistance = d;
                best = name;
            }
        }
        return best == null ? "" : " (did you mean \"" + best + "\"?)";
    }

    private static int distance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }
}
