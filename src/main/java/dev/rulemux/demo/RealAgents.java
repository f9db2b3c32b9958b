package dev.rulemux.demo;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rulemux.sim.MockModelServer;
import dev.rulemux.sim.RealClis;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The demo's team with real CLIs ({@code rulemux demo --real}): the architect is Claude Code and the builder Codex,
 * both installed by {@code scripts/install-clis} and talking to an in-process {@link MockModelServer} (no key, no
 * network); the tester stays a simulated agent. The tasks' {@code [mock …]} directives script the mock's answers.
 */
final class RealAgents implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final RealClis clis;
    private final MockModelServer mock;
    private final Path dir;
    private final List<RealClis.Sandbox> sandboxes = new ArrayList<>();

    private RealAgents(RealClis clis, MockModelServer mock, Path dir) {
        this.clis = clis;
        this.mock = mock;
        this.dir = dir;
    }

    /**
     * Starts the mock model server for a run in {@code dir}.
     *
     * @throws DemoRefused when the CLIs are not installed
     */
    static RealAgents start(Path dir) {
        RealClis clis = RealClis.locate().orElseThrow(() -> new DemoRefused("--real needs Claude Code " + RealClis.CLAUDE_CODE_VERSION
                + ", Codex " + RealClis.CODEX_VERSION + " and Gemini CLI " + RealClis.GEMINI_CLI_VERSION + " installed by scripts/install-clis "
                + "(in " + RealClis.defaultInstallDir(Path.of(System.getProperty("user.home"))) + ", or $" + RealClis.DIR_ENV
                + "); run it once (it needs npm and the network), or run the demo without --real"));
        return new RealAgents(clis, MockModelServer.start(0), dir);
    }

    /** agents.yaml for the team: the bundled one's session and socket, with the real CLIs in two of the seats. */
    String agentsYaml(String bundled) {
        StringBuilder out = new StringBuilder();
        out.append("# rulemux demo --real: Claude Code and Codex against the mock model server at ").append(mock.baseUrl()).append('\n');
        bundled.lines().filter(l -> l.startsWith("session:") || l.startsWith("socket:")).forEach(l -> out.append(l).append('\n'));
        out.append("agents:\n");
        out.append("  - ").append(json(real("architect", RealClis.Cli.CLAUDE, "claude-code", "high", "builder"))).append('\n');
        out.append("  - ").append(json(real("builder", RealClis.Cli.CODEX, "codex", "medium", "architect"))).append('\n');
        Map<String, Object> tester = new LinkedHashMap<>();
        tester.put("name", "tester");
        tester.put("profile", "sim-agent");
        tester.put("command", List.of("rulemux", "sim-agent", "--name", "tester"));
        tester.put("tier", "low");
        tester.put("backup", "builder");
        tester.put("approvals", "auto");
        tester.put("startup_dialogs", "auto");
        tester.put("policy", Map.of("stuck_after", "4s"));
        out.append("  - ").append(json(tester)).append('\n');
        return out.toString();
    }

    private Map<String, Object> real(String name, RealClis.Cli cli, String profile, String tier, String backup) {
        try {
            Path work = Files.createDirectories(dir.resolve("work-" + name));
            RealClis.Sandbox sandbox = clis.prepare(cli, work, mock.baseUrl(), Files.createDirectories(dir.resolve("sandboxes")));
            sandboxes.add(sandbox);
            Map<String, Object> a = sandbox.agent(name, profile, tier);
            a.put("backup", backup);
            a.put("approvals", "auto");
            a.put("startup_dialogs", "auto");
            return a;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare " + name + "'s sandbox in " + dir + ": " + e.getMessage(), e);
        }
    }

    /** JSON is YAML: one flow mapping per agent, every string quoted and escaped. */
    private static String json(Map<String, Object> agent) {
        try {
            return JSON.writeValueAsString(agent);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        sandboxes.forEach(RealClis.Sandbox::close);
        mock.close();
    }
}
