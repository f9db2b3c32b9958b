package dev.rulemux.sim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rulemux.proc.ProcessTrees;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The real agent CLIs, installed at pinned versions by {@code scripts/install-clis}, and throw-away homes to
 * run them in against a {@link MockModelServer}: nothing of the user's is read or written, no network and
 * no API key is needed.
 *
 * <p>{@link #prepare} makes the files each CLI needs to start without first-run screens (onboarding, API
 * key approval, trust unless asked for, update checks, telemetry) and returns the argv and environment to
 * start it with in a terminal, e.g. {@code tmux new-session -e K=V … -- argv…}. The environment holds only
 * what the sandbox sets; {@code PATH} (which must hold {@code node}) and {@code TERM} come from the caller.
 * Leave {@code CI} unset in the terminal's environment: several CLIs change their behaviour under it.
 */
public final class RealClis {

    public static final String CLAUDE_CODE_VERSION = "2.1.332";
    public static final String CODEX_VERSION = "0.171.0";
    public static final String GEMINI_CLI_VERSION = "0.61.0";
    public static final String QWEN_CODE_VERSION = "0.24.4";
    public static final String OPENCODE_VERSION = "1.18.33";
    /** The install directory name under {@code ~/.cache/rulemux-clis}; bump it with the versions (and in scripts/install-clis). */
    public static final String INSTALL_KEY = "v3";
    /** Overrides where the CLIs are: a directory holding the three executables, or an install root with node_modules/.bin. */
    public static final String DIR_ENV = "RULEMUX_CLI_DIR";

    /** The API key the sandboxes give the CLIs: any value works against the mock. */
    static final String MOCK_ANTHROPIC_KEY = "sk-ant-api03-rulemux-mock-0123456789abcdefghij";
    static final String MOCK_CLAUDE_OAUTH_TOKEN = "sk-ant-oat01-rulemux-mock-0123456789abcdefghij";
    static final String MOCK_KEY_ENV = "RULEMUX_MOCK_API_KEY";
    /** The model Codex is told to use: unknown to its catalogue, so it offers classic function tools (and warns once). */
    static final String CODEX_MODEL = "gpt-5";

    private static final Logger LOG = LoggerFactory.getLogger(RealClis.class);
    private static final Duration KILL_GRACE = Duration.ofSeconds(2);

    /** The CLIs. */
    public enum Cli {
        CLAUDE("claude", "@anthropic-ai/claude-code", CLAUDE_CODE_VERSION),
        CODEX("codex", "@openai/codex", CODEX_VERSION),
        GEMINI("gemini", "@google/gemini-cli", GEMINI_CLI_VERSION),
        QWEN("qwen", "@qwen-code/qwen-code", QWEN_CODE_VERSION),
        OPENCODE("opencode", "opencode-ai", OPENCODE_VERSION);

        private final String executable;
        private final String npmPackage;
        private final String version;

        Cli(String executable, String npmPackage, String version) {
            this.executable = executable;
            this.npmPackage = npmPackage;
            this.version = version;
        }

        public String executable() {
            return executable;
        }

        public String npmPackage() {
            return npmPackage;
        }

        /** The pinned version. */
        public String version() {
            return version;
        }
    }

    /**
     * How to set a sandbox up.
     *
     * @param trusted            the workdir is trusted beforehand, so no trust dialog shows (Codex asks only
     *                           inside a git repository)
     * @param approvals          tool calls need the user's approval (the CLIs' default); false starts them in
     *                           their "approve everything" mode
     * @param claudeSubscription Claude Code logs in with a (fake) claude.ai OAuth token instead of an API key:
     *                           only then does it read the rate-limit headers that show its usage-limit screen
     * @param codexDaemon        let Codex start its background app-server daemon (it copies ~400 MB into
     *                           CODEX_HOME and outlives the TUI); false passes {@code --no-daemon}
     */
    public record Options(boolean trusted, boolean approvals, boolean claudeSubscription, boolean codexDaemon) {

        public static Options defaults() {
            return new Options(true, true, false, false);
        }

        public Options withTrusted(boolean value) {
            return new Options(value, approvals, claudeSubscription, codexDaemon);
        }

        public Options withApprovals(boolean value) {
            return new Options(trusted, value, claudeSubscription, codexDaemon);
        }

        public Options withClaudeSubscription(boolean value) {
            return new Options(trusted, approvals, value, codexDaemon);
        }

        public Options withCodexDaemon(boolean value) {
            return new Options(trusted, approvals, claudeSubscription, value);
        }
    }

    /**
     * One prepared run of one CLI.
     *
     * @param command   argv that starts the CLI interactively (run it in {@code workdir})
     * @param env       variables to set for it, on top of the terminal's own
     * @param root      the directory holding everything the sandbox made
     * @param home      the CLI's HOME
     * @param codexHome Codex's CODEX_HOME, for Codex only
     */
    public record Sandbox(Cli cli, List<String> command, Map<String, String> env, Path workdir, Path root, Path home,
            Optional<Path> codexHome) implements AutoCloseable {

        public Sandbox {
            command = List.copyOf(command);
            env = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(env));
        }

        /**
         * The agent of {@code agents.yaml} that runs this sandbox's CLI: name, profile, command, workdir, env and tier,
         * in that order (a mutable map, for the caller's other keys).
         */
        public Map<String, Object> agent(String name, String profile, String tier) {
            Map<String, Object> a = new LinkedHashMap<>();
            a.put("name", name);
            a.put("profile", profile);
            a.put("command", command);
            a.put("workdir", workdir.toString());
            a.put("env", env);
            a.put("tier", tier);
            return a;
        }

        /** Ends the processes the CLI left behind (Codex's app-server daemon). */
        @Override
        public void close() {
            codexHome.ifPresent(RealClis::killStrays);
        }
    }

    private final Path binDir;

    private RealClis(Path binDir) {
        this.binDir = binDir;
    }

    /** The installed CLIs: in {@code $RULEMUX_CLI_DIR}, else in {@code ~/.cache/rulemux-clis/<INSTALL_KEY>}; empty when any is missing. */
    public static Optional<RealClis> locate() {
        return locate(System.getenv(), Path.of(System.getProperty("user.home")));
    }

    static Optional<RealClis> locate(Map<String, String> env, Path userHome) {
        String override = env.get(DIR_ENV);
        Path root = override != null && !override.isBlank() ? Path.of(override) : defaultInstallDir(userHome);
        for (Path candidate : List.of(root.resolve("node_modules").resolve(".bin"), root)) {
            if (List.of(Cli.values()).stream().allMatch(cli -> Files.isExecutable(candidate.resolve(cli.executable())))) {
                return Optional.of(new RealClis(candidate.toAbsolutePath()));
            }
        }
        return Optional.empty();
    }

    /** {@code ~/.cache/rulemux-clis/<INSTALL_KEY>}, where scripts/install-clis installs the pinned versions. */
    public static Path defaultInstallDir(Path userHome) {
        return userHome.resolve(".cache").resolve("rulemux-clis").resolve(INSTALL_KEY);
    }

    /** The directory holding the three executables. */
    public Path binDir() {
        return binDir;
    }

    public Path executable(Cli cli) {
        return binDir.resolve(cli.executable());
    }

    /** The version npm installed, read from the package's package.json next to the bin directory. */
    public Optional<String> installedVersion(Cli cli) {
        Path manifest = binDir.getParent().resolve(cli.npmPackage()).resolve("package.json");
        try {
            return Optional.ofNullable(Json.MAPPER.readTree(manifest.toFile()).path("version").textValue());
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** A sandbox with the default {@link Options}: trusted workdir, approvals on. */
    public Sandbox prepare(Cli cli, Path workdir, String mockBaseUrl, Path tempRoot) {
        return prepare(cli, workdir, mockBaseUrl, tempRoot, Options.defaults());
    }

    /**
     * Makes a throw-away home for one run of {@code cli} in {@code workdir}, talking to the mock model server
     * at {@code mockBaseUrl} (e.g. {@code http://127.0.0.1:PORT}). Everything goes under a new directory in
     * {@code tempRoot}.
     */
    public Sandbox prepare(Cli cli, Path workdir, String mockBaseUrl, Path tempRoot, Options options) {
        String base = mockBaseUrl.replaceAll("/+$", "");
        Path dir = workdir.toAbsolutePath().normalize();
        try {
            Path root = Files.createDirectories(tempRoot.resolve(cli.executable() + "-" + shortId()));
            Path home = Files.createDirectories(root.resolve("home"));
            Map<String, String> env = commonEnv(home, root);
            return switch (cli) {
                case CLAUDE -> claude(dir, base, root, home, env, options);
                case CODEX -> codex(dir, base, root, home, env, options);
                case GEMINI -> gemini(dir, base, root, home, env, options);
                case QWEN -> qwen(dir, base, root, home, env, options);
                case OPENCODE -> opencode(dir, base, root, home, env, options);
            };
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare a sandbox for " + cli + " under " + tempRoot, e);
        }
    }

    /** HOME and the XDG directories inside the sandbox, so no CLI finds the user's files. */
    private static Map<String, String> commonEnv(Path home, Path root) throws IOException {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("HOME", home.toString());
        env.put("XDG_CONFIG_HOME", Files.createDirectories(home.resolve(".config")).toString());
        env.put("XDG_CACHE_HOME", Files.createDirectories(home.resolve(".cache")).toString());
        env.put("XDG_DATA_HOME", Files.createDirectories(home.resolve(".local/share")).toString());
        env.put("XDG_STATE_HOME", Files.createDirectories(home.resolve(".local/state")).toString());
        env.put("TMPDIR", Files.createDirectories(root.resolve("tmp")).toString());
        env.put("NO_UPDATE_NOTIFIER", "1");
        return env;
    }

    /**
     * Claude Code: {@code ~/.claude.json} marks onboarding done, approves the mock API key (by its last 20
     * characters) and, when trusted, the workdir's trust dialog.
     */
    private Sandbox claude(Path workdir, String base, Path root, Path home, Map<String, String> env,
            Options options) throws IOException {
        ObjectNode state = Json.object().put("hasCompletedOnboarding", true).put("theme", "dark")
                .put("autoUpdates", false);
        ObjectNode keys = state.putObject("customApiKeyResponses");
        keys.putArray("approved").add(MOCK_ANTHROPIC_KEY.substring(MOCK_ANTHROPIC_KEY.length() - 20));
        keys.putArray("rejected");
        state.putObject("projects").putObject(workdir.toString())
                .put("hasTrustDialogAccepted", options.trusted())
                .put("hasCompletedProjectOnboarding", true);
        if (!options.approvals()) {
            state.put("bypassPermissionsModeAccepted", true);
        }
        // 2.1.3xx's one-time notices about its "auto" permission mode (a startup notice, or with the mode set
        // below a dialog offering to switch to it).
        state.put("hasSeenAutoDefaultNotice", true).put("hasSeenAutoDefaultNudge", true);
        writeJson(home.resolve(".claude.json"), state);
        ObjectNode settings = Json.object();
        if (options.approvals()) {
            // From 2.1.3xx the default permission mode is "auto" (Claude Code approves what it deems low-risk
            // itself): ask for every tool call, as the older versions did.
            settings.putObject("permissions").put("defaultMode", "default");
        } else {
            settings.put("skipDangerousModePermissionPrompt", true);
        }
        writeJson(Files.createDirectories(home.resolve(".claude")).resolve("settings.json"), settings);

        env.put("ANTHROPIC_BASE_URL", base);
        if (options.claudeSubscription()) {
            env.put("CLAUDE_CODE_OAUTH_TOKEN", MOCK_CLAUDE_OAUTH_TOKEN);
        } else {
            env.put("ANTHROPIC_API_KEY", MOCK_ANTHROPIC_KEY);
        }
        env.put("DISABLE_TELEMETRY", "1");
        env.put("DISABLE_ERROR_REPORTING", "1");
        env.put("DISABLE_AUTOUPDATER", "1");
        env.put("CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC", "1");
        List<String> command = new ArrayList<>(List.of(executable(Cli.CLAUDE).toString()));
        if (!options.approvals()) {
            // Claude Code refuses to skip permissions as root unless it is told it runs in a sandbox.
            env.put("IS_SANDBOX", "1");
            command.add("--dangerously-skip-permissions");
        }
        return new Sandbox(Cli.CLAUDE, command, env, workdir, root, home, Optional.empty());
    }

    /**
     * Codex: {@code CODEX_HOME/config.toml} names a provider "mock" at the mock's {@code /v1} (Responses API),
     * turns the context meter on in the footer (0.169 shows none by default), and trusts the workdir.
     */
    private Sandbox codex(Path workdir, String base, Path root, Path home, Map<String, String> env, Options options)
            throws IOException {
        Path codexHome = Files.createDirectories(root.resolve("codex-home"));
        StringBuilder toml = new StringBuilder()
                .append("model = ").append(tomlString(CODEX_MODEL)).append('\n')
                .append("model_provider = \"mock\"\n")
                .append("check_for_update_on_startup = false\n")
                .append("approval_policy = ").append(tomlString(options.approvals() ? "on-request" : "never")).append('\n')
                .append("sandbox_mode = ").append(tomlString(options.approvals() ? "workspace-write" : "danger-full-access"))
                .append('\n')
                .append('\n')
                .append("[analytics]\nenabled = false\n\n")
                .append("[feedback]\nenabled = false\n\n")
                .append("[tui]\n")
                .append("status_line = [\"model-with-reasoning\", \"context-remaining\", \"current-dir\"]\n\n")
                .append("[model_providers.mock]\n")
                .append("name = \"rulemux mock\"\n")
                .append("base_url = ").append(tomlString(base + "/v1")).append('\n')
                .append("wire_api = \"responses\"\n")
                .append("env_key = ").append(tomlString(MOCK_KEY_ENV)).append('\n');
        if (options.trusted()) {
            toml.append('\n').append("[projects.").append(tomlString(workdir.toString())).append("]\n")
                    .append("trust_level = \"trusted\"\n");
        }
        Files.writeString(codexHome.resolve("config.toml"), toml, StandardCharsets.UTF_8);
        env.put("CODEX_HOME", codexHome.toString());
        env.put(MOCK_KEY_ENV, "mock-openai-key");
        List<String> command = new ArrayList<>(List.of(executable(Cli.CODEX).toString()));
        if (!options.codexDaemon()) {
            command.add("--no-daemon");
        }
        return new Sandbox(Cli.CODEX, command, env, workdir, root, home, Optional.of(codexHome));
    }

    /**
     * Gemini CLI: {@code ~/.gemini/settings.json} selects API-key auth, keeps folder trust on (the workdir is
     * listed in {@code trustedFolders.json} when trusted), turns updates and usage statistics off and the
     * footer's context percentage on.
     */
    private Sandbox gemini(Path workdir, String base, Path root, Path home, Map<String, String> env,
            Options options) throws IOException {
        Path geminiDir = Files.createDirectories(home.resolve(".gemini"));
        ObjectNode settings = Json.object();
        ObjectNode security = settings.putObject("security");
        security.putObject("auth").put("selectedType", "gemini-api-key");
        security.putObject("folderTrust").put("enabled", true);
        settings.putObject("general").put("disableAutoUpdate", true).put("disableUpdateNag", true);
        settings.putObject("privacy").put("usageStatisticsEnabled", false);
        settings.putObject("telemetry").put("enabled", false);
        settings.putObject("ui").putObject("footer").put("hideContextPercentage", false);
        writeJson(geminiDir.resolve("settings.json"), settings);
        if (options.trusted()) {
            writeJson(geminiDir.resolve("trustedFolders.json"), Json.object().put(workdir.toString(), "TRUST_FOLDER"));
        }
        env.put("GEMINI_API_KEY", "mock-gemini-key");
        env.put("GOOGLE_GEMINI_BASE_URL", base);
        env.put("GEMINI_TELEMETRY_ENABLED", "false");
        List<String> command = new ArrayList<>(List.of(executable(Cli.GEMINI).toString()));
        if (!options.approvals()) {
            command.addAll(List.of("--approval-mode", "yolo"));
        }
        return new Sandbox(Cli.GEMINI, command, env, workdir, root, home, Optional.empty());
    }

    /**
     * Qwen Code (a Gemini CLI fork) through its OpenAI-compatible provider: {@code ~/.qwen/settings.json} selects
     * {@code openai} auth, keeps folder trust on (the workdir listed in {@code trustedFolders.json} when trusted) and
     * turns updates and usage statistics off; {@code OPENAI_BASE_URL} is the mock's {@code /v1} (Chat Completions).
     */
    private Sandbox qwen(Path workdir, String base, Path root, Path home, Map<String, String> env, Options options)
            throws IOException {
        Path qwenDir = Files.createDirectories(home.resolve(".qwen"));
        ObjectNode settings = Json.object();
        ObjectNode security = settings.putObject("security");
        security.putObject("auth").put("selectedType", "openai");
        security.putObject("folderTrust").put("enabled", true);
        settings.putObject("general").put("enableAutoUpdate", false).put("disableAutoUpdate", true)
                .put("disableUpdateNag", true);
        settings.putObject("privacy").put("usageStatisticsEnabled", false);
        settings.putObject("telemetry").put("enabled", false);
        // 0.24 runs a model turn of its own after the user's ("Managed memory has TWO directories…", with tools) to
        // keep memory files: a request the mock would count as one more agent turn
        settings.putObject("memory").put("enableManagedAutoMemory", false);
        // and after each answer one more ("[SUGGESTION MODE: …]") for a follow-up suggestion it shows in the input box,
        // where Enter would take it: neither is the agent's work, and a suggestion must not be submitted by rulemux
        settings.putObject("ui").put("enableFollowupSuggestions", false);
        if (options.approvals()) {
            // 0.24 starts in "auto" mode (a model call rates each tool call); ask for every one, as the others do
            settings.putObject("tools").put("approvalMode", "default");
        }
        writeJson(qwenDir.resolve("settings.json"), settings);
        if (options.trusted()) {
            writeJson(qwenDir.resolve("trustedFolders.json"), Json.object().put(workdir.toString(), "TRUST_FOLDER"));
        }
        env.put("OPENAI_API_KEY", "mock-openai-key");
        env.put("OPENAI_BASE_URL", base + "/v1");
        env.put("OPENAI_MODEL", "qwen-mock");
        List<String> command = new ArrayList<>(List.of(executable(Cli.QWEN).toString()));
        if (!options.approvals()) {
            command.addAll(List.of("--approval-mode", "yolo"));
        }
        return new Sandbox(Cli.QWEN, command, env, workdir, root, home, Optional.empty());
    }

    /**
     * opencode through a provider of its own config ({@code $XDG_CONFIG_HOME/opencode/opencode.json}): the bundled
     * {@code @ai-sdk/openai-compatible} at the mock's {@code /v1} (Chat Completions), one model, no auto-update, no
     * sharing, and no fetch of its model catalogue.
     */
    private Sandbox opencode(Path workdir, String base, Path root, Path home, Map<String, String> env, Options options)
            throws IOException {
        Path configDir = Files.createDirectories(Path.of(env.get("XDG_CONFIG_HOME")).resolve("opencode"));
        ObjectNode config = Json.object().put("$schema", "https://opencode.ai/config.json").put("autoupdate", false)
                .put("share", "disabled").put("model", "mock/mock-model");
        ObjectNode provider = config.putObject("provider").putObject("mock").put("npm", "@ai-sdk/openai-compatible")
                .put("name", "rulemux mock");
        provider.putObject("options").put("baseURL", base + "/v1").put("apiKey", "mock-openai-key");
        provider.putObject("models").putObject("mock-model").put("name", "Mock model").putObject("limit")
                .put("context", 200_000).put("output", 8_192);
        if (!options.approvals()) {
            config.put("permission", "allow");
        }
        writeJson(configDir.resolve("opencode.json"), config);
        env.put("OPENCODE_DISABLE_AUTOUPDATE", "1");
        env.put("OPENCODE_DISABLE_MODELS_FETCH", "1");
        List<String> command = new ArrayList<>(List.of(executable(Cli.OPENCODE).toString()));
        return new Sandbox(Cli.OPENCODE, command, env, workdir, root, home, Optional.empty());
    }

    /**
     * Ends every process with an argument that is {@code codexHome} or a path under it (Codex's app-server
     * daemon runs from a copy of itself under {@code CODEX_HOME/packages}): TERM, then KILL after a grace
     * period. An argument that merely mentions it is not enough: a tmux server keeps the argv of the
     * {@code new-session -e CODEX_HOME=…} that started it, and must live on. Reads {@code /proc}; does nothing
     * where there is none. Returns how many processes it ended.
     */
    public static int killStrays(Path codexHome) {
        String marker = codexHome.toAbsolutePath().normalize().toString();
        if (marker.length() < 8) {
            return 0;
        }
        List<ProcessHandle> strays = ProcessTrees.runningFrom(codexHome);
        strays.forEach(stray -> LOG.debug("ending stray process {} under {}", stray.pid(), marker));
        ProcessTrees.end(strays, KILL_GRACE);
        return strays.size();
    }

    private static void writeJson(Path file, JsonNode node) throws IOException {
        Files.writeString(file, Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(node),
                StandardCharsets.UTF_8);
    }

    /** A TOML basic string. */
    static String tomlString(String value) {
        StringBuilder out = new StringBuilder("\"");
        for (char c : value.toCharArray()) {
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append('"').toString();
    }

    private static String shortId() {
        return UUID.randomUUID().toString().substring(0, 8);
    }
}
