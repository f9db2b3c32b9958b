package dev.rulemux.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The {@code --config DIR} option shared by the commands that read a config directory. */
public final class ConfigOption {

    @Option(names = {"-c", "--config"}, paramLabel = "DIR",
            description = "Config directory holding agents.yaml and tasks.yaml (default: $RULEMUX_CONFIG, else the current directory).")
    Path dir;

    public Path dir() {
        if (dir != null) {
            return dir;
        }
        String env = System.getenv("RULEMUX_CONFIG");
        return Path.of(env == null || env.isBlank() ? "." : env);
    }
}
