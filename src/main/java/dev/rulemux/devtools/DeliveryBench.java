package dev.rulemux.devtools;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.rulemux.config.AgentSpec;
import dev.rulemux.config.Config;
import dev.rulemux.config.ConfigLoader;
import dev.rulemux.config.Sources;
import dev.rulemux.loop.ManualSend;
import dev.rulemux.loop.Team;
import dev.rulemux.rules.PolicyEngine;
import dev.rulemux.rules.RuleFile;
import dev.rulemux.sim.MockModelServer;
import dev.rulemux.sim.MockRequest;
import dev.rulemux.sim.RealClis;
import dev.rulemux.terminal.Pane;
import dev.rulemux.tmux.SeedsKeys;
import dev.rulemux.tmux.Tmux;
import dev.rulemux.tmux.TmuxException;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code rulemux bench delivery}: the same prompts typed into the real Claude Code and Codex three ways in one
 * run — the seeds' {@code tmux send-keys "TEXT" Enter}, the seeds' workaround ({@code send-keys "TEXT"}, three
 * seconds, {@code send-keys Enter}), and rulemux's own delivery ({@link ManualSend}: a bracketed paste, Enter after
 * the profile's delay, Enter again when the policy sees the prompt left as a draft; a prompt larger than the
 * profile's {@code max_inline_bytes} goes through a file) — and what reached the mock model server: submitted,
 * byte for byte, more than once, and how long each took.
 *
 * <p>Every prompt starts with a tag naming the way and its number, and carries {@code [mock work=0s]}: the
 * model's turn is instant, so the figures are the delivery's. Between prompts the bench waits until the agent
 * reads as idle the way the loop reads it; a prompt that did not reach the model within {@link #SUBMIT_WAIT}
 * counts as not submitted, and its draft is cleared from the input box before the next.
 */
public final class DeliveryBench {

    /** How long after a delivery the prompt may take to reach the model. */
    static final Duration SUBMIT_WAIT = Duration.ofSeconds(10);
    /** How long a turn may take to end and the agent to read as idle again. */
    static final Duration IDLE_WAIT = Duration.ofSeconds(30);
    /** The seeds' pause between the text and the Enter. */
    static final Duration WORKAROUND_PAUSE = Duration.ofSeconds(3);
    private static final Pattern TAG = Pattern.compile("\\[d (naive|workaround|rulemux) (\\d+)]");
    private static final Pattern PROMPT_FILE = Pattern.compile("in the file (\\S+?)\\.? Read");
    private static final Map<String, String> READY = Map.of("claude-code", "? for shortcuts", "codex",
            "Ask Codex to do anything", "gemini", "Type your message", "qwen-code", "Type your message", "opencode",
            "Ask anything");

    /** The three ways of typing a prompt into a CLI. */
    public enum Way {
        NAIVE("naive", "`send-keys \"TEXT\" Enter`"),
        WORKAROUND("workaround", "`send-keys \"TEXT\"`, sleep 3 s, `send-keys Enter`"),
        RULEMUX("rulemux", "rulemux (paste, Enter after the profile's delay, Enter again if left as a draft)");

        final String tag;
        final String label;

        Way(String tag, String label) {
            this.tag = tag;
            this.label = label;
        }

        public String label() {
            return label;
        }
    }

    /** The CLIs the bench types into. */
    public enum Target {
        CLAUDE(RealClis.Cli.CLAUDE, "claude-code"), CODEX(RealClis.Cli.CODEX, "codex"), GEMINI(RealClis.Cli.GEMINI, "gemini"),
        QWEN(RealClis.Cli.QWEN, "qwen-code"), OPENCODE(RealClis.Cli.OPENCODE, "opencode");

        final RealClis.Cli cli;
        final String profile;

        Target(RealClis.Cli cli, String profile) {
            this.cli = cli;
            this.profile = profile;
        }
    }

    /**
     * One way into one CLI.
     *
     * @param submitted        prompts that reached the model within {@link #SUBMIT_WAIT}
     * @param exact            of those, the ones whose text at the model equals the text sent (for a prompt sent
     *                         through a file: the file holds the text sent)
     * @param duplicates       arrivals at the model beyond a prompt's first, over the whole run
     * @param toModelMedianMs  median time from starting the delivery to the prompt's arrival, over submitted prompts
     * @param secondsPerPrompt wall time of the way over its prompts, from the first delivery until the agent was idle
     *                         again after the last (clearing unsubmitted drafts included), divided by their number
     * @param failures         a few words on why prompts did not arrive (tmux errors, drafts left), or ""
     * @param enterAgain       rulemux's way: prompts whose submit keys had to be pressed more than once (the first
     *                         press was taken as part of the paste); -1 for the other ways, which never press again
     * @param toKeysMedianMs   rulemux's way: median time from the paste to the submit keys; -1 for the other ways
     */
    public record Row(String cli, Way way, int prompts, int submitted, int exact, int duplicates, long toModelMedianMs,
                      double secondsPerPrompt, String failures, int enterAgain, long toKeysMedianMs) {
    }

    private DeliveryBench() {
    }

    /**
     * {@code n} prompts of the kinds users send, in turn: short; quotes; {@code $()} and variables; backticks;
     * unicode; tmux key names as words; about 2 KB on one line; about 20 KB on 400 lines. None holds what a CLI
     * itself rewrites (tabs, trailing blanks, decomposed unicode: see docs/real-clis.md), so the text at the
     * model equals the text sent when delivery kept it whole.
     */
    public static List<String> prompts(int n) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(switch (i % 8) {
                case 0 -> "a short prompt: list the files";
                case 1 -> "single 'quotes' and it's, double \"quotes\" and \"nested 'mixed' ones\"";
                case 2 -> "command substitution $(rm -rf /tmp/x) and ${HOME} and $PATH; echo done && exit 1";
                case 3 -> "backticks `ls -la` and ``double`` and `$(id)` in them";
                case 4 -> "unicode: é à ü ß ✓ → ≠ 日本語 中文 한국어 Ελληνικά русский שלום 🚀 👍🏽";
                case 5 -> "tmux key names as words: Enter C-c Escape Tab BSpace C-d M-x Up Down";
                case 6 -> ("a 2 KB prompt: " + "review the retry logic for loops that never end under load; ".repeat(33)).strip();
                default -> {
                    StringBuilder b = new StringBuilder("a 20 KB prompt on many lines:");
                    for (int line = 1; line <= 400; line++) {
                        b.append(String.format(Locale.ROOT, "%nline %03d: if (x != \"a\") { return `$(y)`; } // ok", line));
                    }
                    yield b.toString();
                }
            });
        }
        return out;
    }

    /** The text sent for prompt {@code i} (from 1) of {@code way}: its tag, the prompt, and the mock's directive for an instant turn. */
    static String text(Way way, int i, String prompt) {
        return "[d " + way.tag + " " + i + "] " + prompt + " [mock work=0s]";
    }

    /** Runs every way into every CLI in {@code targets}, {@code n} prompts each; prints progress to {@code out}. */
    public static List<Row> run(List<Target> targets, int n, List<Way> ways, Path work, PrintWriter out) {
        RealClis clis = RealClis.locate().orElseThrow(() -> new IllegalStateException(
                "the real CLIs are not installed: run scripts/install-clis (or set " + RealClis.DIR_ENV + ")"));
        List<Row> rows = new ArrayList<>();
        for (Target target : targets) {
            rows.addAll(runOne(clis, target, n, ways, work, out));
        }
        return rows;
    }

    private static List<Row> runOne(RealClis clis, Target target, int n, List<Way> ways, Path work, PrintWriter out) {
        String name = target.name().toLowerCase(Locale.ROOT);
        String socket = "rulemux-bench-" + UUID.randomUUID().toString().substring(0, 8);
        Tmux tmux = new Tmux(socket);
        RealClis.Sandbox sandbox = null;
        try (MockModelServer mock = MockModelServer.start(0)) {
            Path dir = Files.createDirectories(work.resolve(name));
            Path workdir = Files.createDirectories(dir.resolve("work"));
            sandbox = clis.prepare(target.cli, workdir, mock.baseUrl(), Files.createDirectories(dir.resolve("sandbox")));
            Map<String, Object> team = new LinkedHashMap<>();
            team.put("session", "delivery");
            team.put("socket", socket);
            team.put("agents", List.of(sandbox.agent(name, target.profile, "high")));
            new ObjectMapper(new YAMLFactory()).writeValue(dir.resolve("agents.yaml").toFile(), team);
            Files.writeString(dir.resolve("tasks.yaml"), "tasks: []\n");
            Config config = ConfigLoader.load(Sources.forConfigDir(dir));
            AgentSpec agent = config.team().agent(name).orElseThrow();
            Team started = new Team(config, tmux, Clock.systemUTC());
            started.start();
            Pane pane = started.panes().get(name);
            awaitReady(tmux, pane, READY.get(target.profile), target == Target.CLAUDE);
            List<String> prompts = prompts(n);
            List<Row> rows = new ArrayList<>();
            try (PolicyEngine policy = PolicyEngine.compile(RuleFile.from(config.sources()))) {
                ManualSend send = new ManualSend(config, policy, tmux, Clock.systemUTC());
                if (!send.awaitIdle(agent, pane, IDLE_WAIT)) {
                    throw new IllegalStateException(name + " never read as idle after starting:\n" + tmux.capture(pane.id()));
                }
                for (Way way : ways) {
                    rows.add(way(way, target, agent, pane, prompts, send, tmux, mock, config, dir, out));
                }
            }
            // duplicates over the whole run: a draft left behind may arrive with a later prompt's Enter
            Map<String, Integer> arrivals = new LinkedHashMap<>();
            for (MockRequest r : turns(mock)) {
                Matcher m = TAG.matcher(effectiveText(r.prompt()));
                while (m.find()) {
                    arrivals.merge(m.group(1) + " " + m.group(2), 1, Integer::sum);
                }
            }
            List<Row> withDuplicates = new ArrayList<>();
            for (Row r : rows) {
                int extra = arrivals.entrySet().stream().filter(e -> e.getKey().startsWith(r.way().tag + " "))
                        .mapToInt(e -> e.getValue() - 1).sum();
                withDuplicates.add(new Row(r.cli(), r.way(), r.prompts(), r.submitted(), r.exact(), extra,
                        r.toModelMedianMs(), r.secondsPerPrompt(), r.failures(), r.enterAgain(), r.toKeysMedianMs()));
            }
            return withDuplicates;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            tmux.killServer();
            if (sandbox != null) {
                sandbox.close();
            }
        }
    }

    private static Row way(Way way, Target target, AgentSpec agent, Pane pane, List<String> prompts, ManualSend send,
                           Tmux tmux, MockModelServer mock, Config config, Path work, PrintWriter out) {
        int submitted = 0;
        int exact = 0;
        int enterAgain = way == Way.RULEMUX ? 0 : -1;
        List<Long> toModel = new ArrayList<>();
        List<Long> toKeys = new ArrayList<>();
        Map<String, Integer> failures = new LinkedHashMap<>();
        long start = System.nanoTime();
        for (int i = 1; i <= prompts.size(); i++) {
            String text = text(way, i, prompts.get(i - 1));
            String tag = "[d " + way.tag + " " + i + "]";
            int before = turns(mock).size();
            Instant sent = Instant.now();
            try {
                Optional<ManualSend.Result> result = deliver(way, agent, pane, text, send, tmux, config);
                if (result.isPresent() && result.get().enterPresses() > 1) {
                    enterAgain++;
                }
                result.ifPresent(r -> toKeys.add(r.pasteToKeysMs()));
            } catch (TmuxException e) {
                failures.merge("tmux send-keys failed: " + reason(e.getMessage()), 1, Integer::sum);
            }
            Optional<MockRequest> arrived = awaitTurn(mock, before, tag, SUBMIT_WAIT);
            if (arrived.isPresent()) {
                submitted++;
                toModel.add(Duration.between(sent, arrived.get().at()).toMillis());
                String got = effectiveText(arrived.get().prompt());
                if (got.equals(text)) {
                    exact++;
                } else {
                    failures.merge("changed on the way (" + difference(text, got) + ")", 1, Integer::sum);
                }
                if (!send.awaitIdle(agent, pane, IDLE_WAIT)) {
                    failures.merge("not idle " + IDLE_WAIT.toSeconds() + " s after its turn", 1, Integer::sum);
                }
            } else {
                failures.merge("not at the model within " + SUBMIT_WAIT.toSeconds() + " s", 1, Integer::sum);
                keepScreen(work, way, i, tmux.capture(pane.id()));
                clear(agent, pane, send, tmux, config);
            }
            out.printf("  %s %s %d/%d: %s%n", target.name().toLowerCase(Locale.ROOT), way.tag, i, prompts.size(),
                    arrived.isEmpty() ? "NOT submitted" : effectiveText(arrived.get().prompt()).equals(text) ? "ok" : "changed");
            out.flush();
        }
        double perPrompt = (System.nanoTime() - start) / 1e9 / prompts.size();
        toModel.sort(null);
        String why = String.join("; ", failures.entrySet().stream().map(e -> e.getValue() + "× " + e.getKey()).toList());
        return new Row(target.name().toLowerCase(Locale.ROOT), way, prompts.size(), submitted, exact, 0,
                toModel.isEmpty() ? -1 : toModel.get((toModel.size() - 1) / 2), perPrompt, why, enterAgain,
                toKeys.isEmpty() ? -1 : toKeys.stream().sorted().toList().get((toKeys.size() - 1) / 2));
    }

    /** The screen a prompt was left on, for looking into it afterwards: {@code WORK/screens/WAY-I.txt}. */
    private static void keepScreen(Path work, Way way, int i, String screen) {
        try {
            Files.writeString(Files.createDirectories(work.resolve("screens")).resolve(way.tag + "-" + i + ".txt"), screen,
                    StandardCharsets.UTF_8);
        } catch (IOException e) {
            // best effort: the figures do not depend on it
        }
    }

    /** Delivers {@code text} one way; rulemux's way tells how it went. */
    private static Optional<ManualSend.Result> deliver(Way way, AgentSpec agent, Pane pane, String text, ManualSend send,
                                                       Tmux tmux, Config config) {
        switch (way) {
            case NAIVE -> SeedsKeys.sendKeysNaively(tmux, pane.id(), text);
            case WORKAROUND -> {
                SeedsKeys.sendKeysWithoutEnter(tmux, pane.id(), text);
                pause(WORKAROUND_PAUSE);
                tmux.pressKeys(pane.id(), List.of("Enter"));
            }
            case RULEMUX -> {
                return Optional.of(send.send(agent, pane, text, SUBMIT_WAIT));
            }
        }
        return Optional.empty();
    }

    /**
     * Empties an input box holding an unsubmitted draft: C-u (delete to the line's start) until the profile reads
     * no draft, then the profile's interrupt keys if one is left.
     */
    private static void clear(AgentSpec agent, Pane pane, ManualSend send, Tmux tmux, Config config) {
        for (int round = 0; round < 20 && send.hasDraft(agent, pane); round++) {
            List<String> keys = new ArrayList<>();
            for (int k = 0; k < 25; k++) {
                keys.add("C-u");
            }
            tmux.pressKeys(pane.id(), keys);
            pause(Duration.ofMillis(300));
        }
        if (send.hasDraft(agent, pane)) {
            tmux.pressKeys(pane.id(), config.profileOf(agent).interrupt().keys());
        }
        send.awaitIdle(agent, pane, IDLE_WAIT);
    }

    private static Optional<MockRequest> awaitTurn(MockModelServer mock, int before, String tag, Duration timeout) {
        try {
            return mock.await(r -> r.agentTurn() && !r.toolResult() && turns(mock).indexOf(r) >= before
                    && effectiveText(r.prompt()).contains(tag), timeout);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    /** The agent turns the mock received (side calls and tool results left out). */
    private static List<MockRequest> turns(MockModelServer mock) {
        return mock.requests().stream().filter(r -> r.agentTurn() && !r.toolResult()).toList();
    }

    /** What the agent was asked: the prompt, or for a prompt sent through a file ("… in the file F. Read …") the file's text. */
    static String effectiveText(String prompt) {
        Matcher file = PROMPT_FILE.matcher(prompt);
        if (!TAG.matcher(prompt).find() && file.find()) {
            try {
                return Files.readString(Path.of(file.group(1)), StandardCharsets.UTF_8);
            } catch (IOException | RuntimeException e) {
                return prompt;
            }
        }
        return prompt;
    }

    private static void awaitReady(Tmux tmux, Pane pane, String ready, boolean claude) {
        long end = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (!tmux.capture(pane.id()).contains(ready)) {
            if (System.nanoTime() > end) {
                throw new IllegalStateException("the CLI did not show \"" + ready + "\" within 90 s:\n" + tmux.capture(pane.id()));
            }
            pause(Duration.ofMillis(200));
        }
        if (claude) {
            // Claude Code's tmux focus-events notice comes ~10 s after start and stays ~8 s (docs/real-clis.md)
            pause(Duration.ofSeconds(20));
        }
    }

    private static void pause(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Where {@code got} first differs from {@code sent}, in a few words with a little of each around it. */
    static String difference(String sent, String got) {
        int i = 0;
        while (i < sent.length() && i < got.length() && sent.charAt(i) == got.charAt(i)) {
            i++;
        }
        return "from char " + i + " of " + sent.length() + ": sent \"" + around(sent, i) + "\", got \"" + around(got, i)
                + "\" of " + got.length();
    }

    private static String around(String s, int i) {
        String part = s.substring(Math.max(0, i - 10), Math.min(s.length(), i + 20));
        return (i > 10 ? "…" : "") + part.replaceAll("\\p{Cntrl}", "?") + (i + 20 < s.length() ? "…" : "");
    }

    /** The end of a failed tmux call's description (its exit and message, or its timeout), without the text it carried. */
    static String reason(String message) {
        String m = message == null ? "" : message.strip();
        int at = Math.max(m.lastIndexOf(": exit "), m.lastIndexOf(": timed out"));
        String tail = at >= 0 ? m.substring(at + 2) : m;
        String line = tail.lines().reduce((a, b) -> b).orElse("");
        return line.length() > 100 ? line.substring(0, 100) + "…" : line;
    }
}
