package dev.rulemux.devtools;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The README.md next to a profile's fixtures: a header, one {@code ## scenario} section per fixture saying how
 * it was recorded, and a {@code ## Not recorded} section. A partial recording ({@code --only}) replaces the
 * sections of what it recorded and keeps the others as they were.
 */
final class FixtureReadme {

    static final String NOT_RECORDED = "Not recorded";

    /** One fixture's section: its scenario name and the markdown under its heading. */
    record Section(String scenario, String body) {
    }

    private FixtureReadme() {
    }

    /**
     * Writes {@code file}: {@code header}, the sections (new ones replacing old ones of the same scenario, old
     * ones kept), ordered as in {@code order} (others after, by name), then the scenarios not recorded and why.
     */
    static void update(Path file, String header, List<Section> recorded, List<String> order,
            Map<String, String> notRecorded) throws IOException {
        Map<String, String> sections = new LinkedHashMap<>();
        if (Files.exists(file)) {
            sections.putAll(sections(Files.readString(file, StandardCharsets.UTF_8)));
        }
        sections.remove(NOT_RECORDED);
        recorded.forEach(s -> sections.put(s.scenario(), s.body().strip()));
        List<String> names = new ArrayList<>(order.stream().filter(sections::containsKey).toList());
        sections.keySet().stream().filter(n -> !names.contains(n)).sorted().forEach(names::add);

        StringBuilder out = new StringBuilder(header.strip()).append("\n");
        for (String name : names) {
            out.append("\n## ").append(name).append("\n\n").append(sections.get(name)).append("\n");
        }
        if (!notRecorded.isEmpty()) {
            out.append("\n## ").append(NOT_RECORDED).append("\n\n");
            notRecorded.forEach((scenario, why) -> out.append("- `").append(scenario).append("`: ").append(why).append("\n"));
        }
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.writeString(tmp, out, StandardCharsets.UTF_8);
        Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }

    /** The {@code ## name} sections of a README, by name, each body without its heading. */
    static Map<String, String> sections(String text) {
        Map<String, String> out = new LinkedHashMap<>();
        String name = null;
        StringBuilder body = new StringBuilder();
        for (String line : text.split("\n", -1)) {
            if (line.startsWith("## ")) {
                if (name != null) {
                    out.put(name, body.toString().strip());
                }
                name = line.substring(3).strip();
                body.setLength(0);
            } else if (name != null) {
                body.append(line).append("\n");
            }
        }
        if (name != null) {
            out.put(name, body.toString().strip());
        }
        return out;
    }
}
