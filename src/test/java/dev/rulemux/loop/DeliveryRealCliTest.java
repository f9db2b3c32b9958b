package dev.rulemux.loop;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rulemux.config.AgentSpec;
import dev.rulemux.config.Config;
import dev.rulemux.rules.PolicyEngine;
import dev.rulemux.rules.RuleFile;
import dev.rulemux.sim.MockRequest;
import dev.rulemux.sim.RealClis.Cli;
import dev.rulemux.terminal.Pane;
import dev.rulemux.tmux.PasteText;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Thirty prompts of every awkward kind, delivered by rulemux into the real Claude Code, Codex, Gemini CLI, Qwen Code
 * and opencode: each is submitted, and reaches the model (the mock) exactly once and byte for byte (but for what the
 * CLI itself does to a prompt, below). Control and escape bytes are removed before pasting (so a prompt cannot end the
 * bracketed paste); a prompt over the profile's max_inline_bytes or max_inline_lines goes through a file the agent is
 * told to read.
 */
@Tag("realcli")
class DeliveryRealCliTest {

    @TempDir
    Path dir;

    static List<String> prompts() {
        List<String> p = new ArrayList<>();
        p.add("a plain short prompt");
        p.add("single 'quotes' and 'it''s' too");
        p.add("double \"quotes\" and \"nested 'mixed' ones\"");
        p.add("backticks `ls -la` and ``double``");
        p.add("command substitution $(rm -rf /) and ${HOME} and $PATH");
        p.add("separators ; && || | & > < >> 2>&1");
        p.add("tmux key names as words: Enter C-c Escape Tab BSpace C-d M-x Up Down");
        p.add("unicode: é à ü ß ✓ → ≠ 日本語 中文 한국어 Ελληνικά русский");
        p.add("a tab\there and\tanother");
        p.add("three lines\nsecond line\nthird line");
        StringBuilder many = new StringBuilder("twenty-five lines follow");
        for (int i = 1; i <= 25; i++) {
            many.append("\nline ").append(i).append(": some text for the paste");
        }
        p.add(many.toString());
        p.add("backslashes \\n \\t \\\\ \\e[31m and a trailing one \\");
        p.add("printf formats %s %d %% %n and tmux formats #{pane_id} #[fg=red] ##");
        p.add("globs * ? [abc] ~/path {a,b} and !history");
        p.add("html <b>bold</b> &amp; &lt;tag&gt; and <script>alert(1)</script>");
        p.add("json {\"a\": [1, 2, {\"b\": null}], \"c\": \"d\"}");
        p.add("escape sequences removed: \u001b[31mred\u001b[0m and \u001b[201~ end of paste");
        p.add("control bytes removed: bell\u0007 null\u0000 delete\u007f backspace\u0008 end");
        p.add("windows line endings\r\nsecond line\r\nthird");
        p.add("a trailing newline is dropped\n");
        p.add("    leading spaces and a # hash line\n# like this");
        p.add("dashes -- --flag -x and = signs a=b");
        p.add("right to left: שלום עולם and مرحبا and combining e\u0301 a\u0308");
        p.add("emoji 🚀 ✨ 👍🏽 and a zero-width joiner 👩‍💻");
        p.add(("a long one-line prompt: " + "the quick brown fox jumps over the lazy dog; ".repeat(45)).strip());
        StringBuilder code = new StringBuilder("some code:\n");
        for (int i = 0; i < 40; i++) {
            code.append("    if (x[").append(i).append("] != \"a\\tb\") { return `$(y)`; } // ").append(i).append('\n');
        }
        p.add(code.toString().strip());
        p.add(("a 10 KB prompt:\n" + "0123456789abcdefghij ".repeat(480)).strip());
        p.add("a 50 KB prompt, sent through a file:\n" + "lorem ipsum dolor sit amet, consectetur; $(x) `y` \"z\"\n".repeat(960));
        p.add("quoted key names \"Enter\" 'C-c' and a lone word");
        p.add("the last prompt, plain again");
        return p;
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"CLAUDE, claude-code", "CODEX, codex", "GEMINI, gemini", "QWEN, qwen-code", "OPENCODE, opencode"})
    void everyKindOfPromptArrivesOnceAndByteForByte(Cli cli, String profile) throws Exception {
        try (RealTeam team = new RealTeam(dir, "the delivery of 30 prompts")) {
            Config config = team.real("agent", cli, profile, "high").write("tasks: []\n");
            Pane pane = team.startAndAwaitReady().get("agent");
            AgentSpec agent = config.team().agent("agent").orElseThrow();
            List<String> prompts = prompts();
            assertThat(prompts).hasSize(30);
            try (PolicyEngine policy = PolicyEngine.compile(RuleFile.from(config.sources()))) {
                ManualSend send = new ManualSend(config, policy, team.tmux(), Clock.systemUTC());
                for (int i = 0; i < prompts.size(); i++) {
                    String text = "P" + (i + 1) + " " + prompts.get(i);
                    int before = team.turns().size();

                    ManualSend.Result result = send.send(agent, pane, text, RealTeam.GENEROUS);

                    assertThat(result.outcome()).as("P%d: %s", i + 1, result.detail())
                            .isIn(ManualSend.Outcome.SUBMITTED, ManualSend.Outcome.TAKEN);
                    MockRequest received = team.mock.await(r -> r.agentTurn() && !r.toolResult()
                            && team.turns().indexOf(r) >= before, RealTeam.GENEROUS).orElseThrow(
                                    () -> new AssertionError("P" + text.substring(1, 4) + " never reached the model"));
                    String expected = expectedAtTheModel(cli, PasteText.clean(text));
                    if (!config.profileOf(agent).delivery().inline(text)) {
                        Matcher file = Pattern.compile("in the file (\\S+?)\\. Read").matcher(received.prompt());
                        assertThat(file.find()).as("P%d is sent through a file: %s", i + 1, received.prompt()).isTrue();
                        assertThat(Files.readString(Path.of(file.group(1)))).as("the file holds the prompt as given").isEqualTo(text);
                    } else {
                        assertThat(received.prompt()).as("P%d", i + 1).isEqualTo(expected);
                    }
                    // once the turn has ended, a second submit of the same prompt would have reached the model
                    team.awaitIdle(pane, profile);
                    assertThat(team.turns()).as("P%d arrived exactly once", i + 1).hasSize(before + 1);
                }
            }
        }
    }

    /**
     * What the CLI itself does to a pasted prompt on its way to the model (documented in docs/real-clis.md):
     * Claude Code, Codex, Gemini CLI and Qwen Code trim trailing white space (the space rulemux puts after a final
     * backslash); Claude Code turns a tab into four spaces and normalizes Unicode to NFC (e + combining acute becomes
     * é); opencode adds a space after a long paste.
     */
    private static String expectedAtTheModel(Cli cli, String pasted) {
        String trimmed = pasted.stripTrailing();
        return switch (cli) {
            case CLAUDE -> java.text.Normalizer.normalize(trimmed.replace("\t", "    "), java.text.Normalizer.Form.NFC);
            // opencode trims nothing (the space after a final backslash stays), and shows a paste of 3 lines or more,
            // or over 150 characters, as "[Pasted ~N lines] ", sending the text with the space it put after that
            case OPENCODE -> pasted.lines().count() >= 3 || pasted.length() > 150 ? pasted + " " : pasted;
            default -> trimmed;
        };
    }
}
