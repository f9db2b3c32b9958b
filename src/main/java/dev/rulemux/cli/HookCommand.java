package dev.rulemux.cli;

import dev.rulemux.App;
import dev.rulemux.domain.HookKind;
import dev.rulemux.store.HookSpool;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code rulemux hook EVENT [JSON]}: run by an agent's CLI from its own event hooks, which rulemux wires when it starts
 * the agent. It appends the event to the team's hook spool ({@link HookSpool}), where the loop picks it up at its next
 * tick. The launcher does the same without starting a JVM (its fast path); this command is the path of
 * {@code java -jar}. It never fails the CLI: whatever goes wrong, it exits 0 and says why in
 * {@code .rulemux/hook-errors.log}.
 */
@Command(name = "hook", hidden = true, description = {"Record an agent CLI's hook event (run by the CLI, wired by rulemux).",
        "EVENT is the CLI's event name (Stop, UserPromptSubmit, PermissionPrompt, SessionStart, PreCompact), or notify "
                + "followed by Codex's JSON argument. The agent and the team come from RULEMUX_AGENT and RULEMUX_CONFIG."})
public final class HookCommand implements Callable<Integer> {

    /** The longest JSON argument looked at (Codex's notify carries the turn's messages, which can be long). */
    static final int MAX_JSON = 64 * 1024;
    private static final long MAX_ERROR_LOG = 64 * 1024;
    private static final Pattern SIDE_TURN = Pattern.compile(
            "\"input-messages\"\\s*:\\s*\\[\\s*\"Generate a concise, single-line task title");
    private static final Pattern NOTIFY_TYPE = Pattern.compile("\\A\\s*\\{\\s*\"type\"\\s*:\\s*\"([a-z-]{1,40})\"");

    @Parameters(index = "0", paramLabel = "EVENT", defaultValue = "")
    String event;

    @Parameters(index = "1..*", paramLabel = "JSON", arity = "0..*")
    List<String> rest = List.of();

    private final App app;

    public HookCommand(App app) {
        this.app = app;
    }

    @Override
    public Integer call() {
        String agent = app.env(StateAccess.AGENT_ENV);
        String dir = app.env("RULEMUX_CONFIG");
        if (dir == null || dir.isBlank()) {
            return ExitCodes.OK; // not started by rulemux: nothing to tell
        }
        HookSpool spool = HookSpool.of(Path.of(dir));
        try {
            String name = event;
            if ("notify".equals(event)) {
                String json = rest.isEmpty() ? "" : rest.get(rest.size() - 1);
                name = notifyType(json);
                if (codexSideTurn(json)) {
                    return ExitCodes.OK; // not the agent's turn: nothing to tell the policy
                }
            }
            if (!HookSpool.valid(agent, name) || HookKind.ofEvent(name).isEmpty()) {
                throw new IllegalArgumentException("not a hook event rulemux knows: agent \"" + agent + "\", event \"" + name + "\"");
            }
            spool.append(agent, name, calledAt(app.clock().millis()));
        } catch (IOException | RuntimeException e) {
            logError(spool.file().resolveSibling("hook-errors.log"), e.getMessage());
        }
        return ExitCodes.OK;
    }

    /**
     * When the CLI ran this hook: this process's start (the CLI starts it directly, never through a shell), not the
     * moment the JVM got this far, which on a loaded machine is a second or more later, after the screen already
     * showed the turn's end and rulemux sent the next prompt; a line stamped that late would end the next turn
     * (rules/hooks.drl weighs a turn-end hook only when no prompt was sent after it). The launcher's fast path stamps
     * the line as it starts, too.
     */
    static long calledAt(long nowMs) {
        return ProcessHandle.current().info().startInstant().map(Instant::toEpochMilli)
                .filter(started -> started < nowMs).orElse(nowMs);
    }

    /**
     * Whether a Codex notify is about Codex's own side turn that titles the session (0.171 notifies its end as an
     * {@code agent-turn-complete} of another thread, while the agent's turn it was started beside goes on): taken as
     * evidence, it would end a turn that is still running. The launcher's fast path makes the same test.
     */
    static boolean codexSideTurn(String json) {
        return SIDE_TURN.matcher(json).find();
    }

    /** The {@code type} of Codex's notify argument, which it writes first ({@code {"type":"agent-turn-complete",…}}). */
    static String notifyType(String json) {
        if (json.length() > MAX_JSON) {
            throw new IllegalArgumentException("notify argument over " + MAX_JSON + " characters");
        }
        Matcher m = NOTIFY_TYPE.matcher(json);
        if (!m.find()) {
            throw new IllegalArgumentException("notify argument without a leading \"type\"");
        }
        return m.group(1);
    }

    private void logError(Path log, String message) {
        try {
            if (Files.isDirectory(log.getParent()) && (!Files.exists(log) || Files.size(log) < MAX_ERROR_LOG)) {
                String line = app.clock().instant() + " " + app.env(StateAccess.AGENT_ENV) + " hook " + event + ": "
                        + String.valueOf(message).replaceAll("[\\p{Cntrl}]", " ") + "\n";
                Files.writeString(log, line, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            }
        } catch (IOException | RuntimeException ignored) {
            // best effort: a hook never fails its CLI
        }
    }
}
