package dev.rulemux.loop;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rulemux.config.AgentSpec;
import dev.rulemux.config.Config;
import dev.rulemux.config.Profile;
import dev.rulemux.proc.SelfCommand;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Wires an agent CLI's own event hooks to {@code rulemux hook EVENT} when rulemux launches it, as its profile's
 * {@code hooks:} says, without touching the user's settings: Claude Code gets a settings file of its own
 * ({@code .rulemux/hooks/<agent>.claude-settings.json}, passed with {@code --settings}, which Claude Code merges over
 * the user's), Codex a {@code -c notify=[…]} override of this run only. The hook command runs the same rulemux
 * ({@link SelfCommand#hook}); the agent's environment tells it who it is and where the team's state is.
 */
final class HookWiring {

    /** Claude Code's hook events rulemux listens to, with the event name each hook command is given. */
    private static final List<String[]> CLAUDE_EVENTS = List.of(
            new String[] {"Stop", null, "Stop"},
            new String[] {"UserPromptSubmit", null, "UserPromptSubmit"},
            new String[] {"Notification", "permission_prompt", "PermissionPrompt"},
            new String[] {"SessionStart", null, "SessionStart"},
            new String[] {"PreCompact", null, "PreCompact"});

    private HookWiring() {
    }

    /** {@code argv} (the agent's command, resolved) with the options that wire its CLI's hooks, if its profile has any. */
    static List<String> wire(Config config, AgentSpec agent, List<String> argv) {
        Profile.Hooks hooks = config.profileOf(agent).hooks();
        List<String> out = new ArrayList<>(argv);
        if (hooks != Profile.Hooks.NONE) {
            stateFolder(config.dir()); // where the hooks append their events
        }
        switch (hooks) {
            case CLAUDE_CODE -> {
                out.add("--settings");
                out.add(claudeSettings(config.dir(), agent.name(), SelfCommand.hook()).toString());
            }
            case CODEX_NOTIFY -> {
                List<String> notify = new ArrayList<>(SelfCommand.hook());
                notify.add("notify");
                out.add("-c");
                out.add("notify=[" + notify.stream().map(HookWiring::tomlString).collect(Collectors.joining(",")) + "]");
            }
            case NONE -> {
                // the screen alone classifies it
            }
        }
        return out;
    }

    private static Path stateFolder(Path configDir) {
        Path dir = configDir.resolve(".rulemux");
        try {
            if (!Files.isDirectory(dir)) {
                Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot make the state folder " + dir + ": " + e.getMessage(), e);
        }
        return dir;
    }

    /** Writes (owner-only, replacing an older one) the Claude Code settings file of {@code agent}'s hooks. */
    static Path claudeSettings(Path configDir, String agent, List<String> hookCommand) {
        ObjectMapper json = new ObjectMapper();
        ObjectNode root = json.createObjectNode();
        ObjectNode hooks = root.putObject("hooks");
        String command = hookCommand.stream().map(HookWiring::shellWord).collect(Collectors.joining(" "));
        for (String[] e : CLAUDE_EVENTS) {
            ObjectNode group = hooks.putArray(e[0]).addObject();
            if (e[1] != null) {
                group.put("matcher", e[1]);
            }
            ArrayNode list = group.putArray("hooks");
            ObjectNode hook = list.addObject();
            hook.put("type", "command");
            hook.put("command", command + " " + e[2]);
            hook.put("timeout", 10);
        }
        Path dir = stateFolder(configDir).resolve("hooks");
        Path file = dir.resolve(agent + ".claude-settings.json");
        try {
            Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            Path tmp = Files.createTempFile(dir, agent, ".tmp",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(tmp, json.writerWithDefaultPrettyPrinter().writeValueAsString(root) + "\n", StandardCharsets.UTF_8);
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + agent + "'s hook settings " + file + ": " + e.getMessage(), e);
        }
        return file;
    }

    /** A word for the POSIX shell Claude Code runs a hook command with: single-quoted unless plainly safe. */
    static String shellWord(String word) {
        if (word.matches("[A-Za-z0-9_./:=+-]+")) {
            return word;
        }
        return "'" + word.replace("'", "'\\''") + "'";
    }

    /** A TOML basic string. */
    static String tomlString(String s) {
        StringBuilder b = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                default -> {
                    if (c < 0x20 || c == 0x7f) {
                        b.append(String.format("\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        return b.append('"').toString();
    }
}
