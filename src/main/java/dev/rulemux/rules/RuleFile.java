package dev.rulemux.rules;

import dev.rulemux.config.Sources;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** One DRL file of the policy, read from disk: its name, where it came from and its text. */
public record RuleFile(String name, Path path, String text) {

    /** The policy's DRL files: {@code rules/*.drl} from the config directory, falling back to the shipped ones. */
    public static List<RuleFile> from(Sources sources) {
        List<RuleFile> out = new ArrayList<>();
        for (Sources.Found found : sources.list("rules", ".drl")) {
            try {
                out.add(new RuleFile(found.name(), found.path(), Files.readString(found.path(), StandardCharsets.UTF_8)));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + found.path(), e);
            }
        }
        return out;
    }
}
