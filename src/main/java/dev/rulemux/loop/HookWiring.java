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
 * the user's), Codex a {@code -c notify=[…]} override of this run only, Gemini CLI a system-defaults settings file
 * ({@code .rulemux/hooks/<agent>.gemini-defaults.json}, named by {@code GEMINI_CLI_SYSTEM_DEFAULTS_PATH} in the agent's
 * environment: the lowest of Gemini CLI's settings layers, whose hooks it adds to the user's and the project's). The hook
 * command runs the same rulemux ({@link SelfCommand#hook}); the agent's environment tells it who it is and where the
 * team's state is.
 */
final class HookWiring {

    /** Claude Code's hook events rulemux listens to, with the event name each hook command is given. */
    private static final List<String[]> CLAUDE_EVENTS = List.of(
            new String[] {"Stop", null, "Stop"},
            new String[] {"UserPromptSubmit", null, "UserPromptSubmit"},
            new String[] {"Notification", "permission_prompt", "PermissionPrompt"},
            new String[] {"SessionStart", null, "SessionStart"},
            new String[] {"PreCompact", null, "PreCompact"});

    /** Gemini CLI's hook events rulemux listens to: {event, matcher, name given to the hook command}. */
    private static final List<String[]> GEMINI_EVENTS = List.of(
            new String[] {"AfterAgent", null, "AfterAgent"},
            new String[] {"BeforeAgent", null, "BeforeAgent"},
            new String[] {"Notification", "ToolPermission", "PermissionPrompt"},
            new String[] {"SessionStart", null, "SessionStart"},
            new String[] {"PreCompress", null, "PreCompress"});

    /** The variable that names Gemini CLI's system-defaults settings file (its lowest settings layer). */
    static final String GEMINI_DEFAULTS_ENV = "GEMINI_CLI_SYSTEM_DEFAULTS_PATH";

    private HookWiring() {
    }

    /**
     * The variables {@code agent}'s CLI needs for its hooks, on top of its own environment: for Gemini CLI the settings
     * file of its hooks (which keeps what the system-defaults file it would otherwise read holds); none for the others.
     */
    static java.util.Map<String, String> env(Config config, AgentSpec agent) {
        if (config.profileOf(agent).hooks() != Profile.Hooks.GEMINI) {
            return java.util.Map.of();
        }
        if (!geminiReadsSystemFilesIn(stateFolder(config.dir()))) {
            // Gemini CLI would skip the file (and say so on its screen): its screen alone classifies it
            return java.util.Map.of();
        }
        Path defaults = geminiDefaults(config.dir(), agent.name(), SelfCommand.hook(),
                usualGeminiDefaults(agent.env(), System.getenv()));
        if (!geminiReadsSystemFilesIn(defaults)) {
            return java.util.Map.of(); // written by someone other than root
        }
        return java.util.Map.of(GEMINI_DEFAULTS_ENV, defaults.toString());
    }

    /**
     * Whether Gemini CLI (0.61) reads a system settings file at {@code path}, or in the folder {@code path}: it skips
     * one unless the file and every folder above it belong to root and are writable by nobody else (so only where
     * rulemux runs as root, in a folder no one else may write to — not under {@code /tmp}).
     */
    static boolean geminiReadsSystemFilesIn(Path path) {
        try {
            for (Path p : List.of(path.toAbsolutePath().normalize(), path.toRealPath())) {
                for (Path q = p; q != null; q = q.getParent()) {
                    if (Files.exists(q, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                        int uid = (int) Files.getAttribute(q, "unix:uid", java.nio.file.LinkOption.NOFOLLOW_LINKS);
                        int mode = (int) Files.getAttribute(q, "unix:mode", java.nio.file.LinkOption.NOFOLLOW_LINKS);
                        boolean link = Files.isSymbolicLink(q);
                        if (uid != 0 || (!link && (mode & 0022) != 0)) {
                            return false;
                        }
                    }
                }
            }
            return true;
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    /**
     * The system-defaults file Gemini CLI would read without rulemux: the one the agent's (else rulemux's) environment
     * names, else {@code system-defaults.json} beside the system settings file ({@code /etc/gemini-cli/settings.json}
     * unless {@code GEMINI_CLI_SYSTEM_SETTINGS_PATH} names another), as Gemini CLI 0.61 finds it.
     */
    static Path usualGeminiDefaults(java.util.Map<String, String> agentEnv, java.util.Map<String, String> env) {
        for (java.util.Map<String, String> e : List.of(agentEnv, env)) {
            String named = e.get(GEMINI_DEFAULTS_ENV);
            if (named != null && !named.isBlank()) {
                return Path.of(named);
            }
        }
        for (java.util.Map<String, String> e : List.of(agentEnv, env)) {
            String settings = e.get("GEMINI_CLI_SYSTEM_SETTINGS_PATH");
            if (settings != null && !settings.isBlank()) {
                return Path.of(settings).toAbsolutePath().resolveSibling("system-defaults.json");
            }
        }
        return Path.of("/etc/gemini-cli/system-defaults.json");
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
            case GEMINI -> {
                // its settings file is named in its environment ({@link #env})
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
        return writeSettings(configDir, agent, agent + ".claude-settings.json", json, root);
    }

    /**
     * Writes (owner-only, replacing an older one) the Gemini CLI system-defaults settings file of {@code agent}'s hooks:
     * what {@code usual} (the system-defaults file Gemini CLI would otherwise read) holds, when it is there and reads as
     * JSON, with rulemux's hooks added to its {@code hooks}. Each hook is given the agent's name and the team's folder in
     * its own {@code env}, so Gemini CLI's environment redaction, when on, cannot keep them from it.
     */
    static Path geminiDefaults(Path configDir, String agent, List<String> hookCommand, Path usual) {
        ObjectMapper json = new ObjectMapper();
        ObjectNode root = json.createObjectNode();
        if (usual != null && Files.isRegularFile(usual)) {
            try {
                if (json.readTree(usual.toFile()) instanceof ObjectNode theirs) {
                    root = theirs;
                }
            } catch (IOException | RuntimeException e) {
                // Gemini CLI could not read it either: nothing of it is lost
            }
        }
        ObjectNode hooks = root.get("hooks") instanceof ObjectNode h ? h : root.putObject("hooks");
        String command = hookCommand.stream().map(HookWiring::shellWord).collect(Collectors.joining(" "));
        for (String[] e : GEMINI_EVENTS) {
            ArrayNode groups = hooks.get(e[0]) instanceof ArrayNode a ? a : hooks.putArray(e[0]);
            ObjectNode group = groups.addObject();
            if (e[1] != null) {
                group.put("matcher", e[1]);
            }
            ObjectNode hook = group.putArray("hooks").addObject();
            hook.put("name", "rulemux-" + e[2]);
            hook.put("type", "command");
            hook.put("command", command + " " + e[2]);
            hook.put("timeout", 10_000);
            hook.putObject("env").put("RULEMUX_AGENT", agent).put("RULEMUX_CONFIG", configDir.toString());
        }
        return writeSettings(configDir, agent, agent + ".gemini-defaults.json", json, root);
    }

    private static Path writeSettings(Path configDir, String agent, String name, ObjectMapper json, ObjectNode root) {
        Path dir = stateFolder(configDir).resolve("hooks");
        Path file = dir.resolve(name);
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
