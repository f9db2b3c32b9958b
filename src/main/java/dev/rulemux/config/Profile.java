package dev.rulemux.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * What one agent CLI shows on its screen and which keys drive it: {@code profiles/<name>.yaml}.
 * Every marker is a regular expression matched line by line against the bottom {@code scanLines}
 * non-blank lines of the screen (stale text higher up is ignored), with trailing white space removed
 * from each line (including non-breaking spaces), as {@code capture-pane} does: write {@code ❯\s?(?<draft>.*)},
 * not {@code ❯ (?<draft>.*)}, for an input line that may be empty.
 *
 * @param name           the file name without {@code .yaml}
 * @param file           where it was read from
 * @param description    one line for people (the CLI and the version it was recorded with)
 * @param scanLines      how many non-blank lines from the bottom markers are looked for in
 * @param processes      pane commands that mean the CLI itself is running (for {@code health})
 * @param childMeansWorking when the pane runs a command not in {@code processes}, the CLI is working (a shell
 *                       running a program)
 * @param input          the input box
 * @param working        markers of a running turn
 * @param finished       markers of a finished turn
 * @param approval       the tool-use approval dialog, if the CLI has one
 * @param startupDialogs dialogs shown at startup (trust this folder, …)
 * @param limitDialogs   dialogs a CLI opens on a usage limit; accepting waits for the reset
 * @param context        the context meter, if shown
 * @param rateLimit      rate limit, usage limit and retried API error markers
 * @param exited         how to tell the CLI has exited
 * @param delivery       how a prompt is submitted
 * @param stop           how to ask the CLI to exit
 * @param clear          how to give the CLI a fresh context
 * @param interrupt      how to interrupt a running turn
 * @param policy         knob values this CLI needs (its timing), over the shipped defaults; the user's
 *                       {@code rules/policy.yaml} and the agent's own {@code policy:} still win
 * @param hooks          which of the CLI's own event hooks rulemux wires to {@code rulemux hook EVENT} when it starts
 *                       the agent ({@code hooks:} in the profile)
 * @param resume         arguments added to the agent's command when rulemux restarts a CLI it had given a prompt, so that
 *                       it carries on its conversation ({@code resume: [--continue]}); empty: it starts afresh
 * @param turns          markers of a line the CLI draws once per answered turn in its transcript (Gemini CLI's
 *                       {@code ✦ } answer lines), looked for over the whole screen above the input box: a new one below
 *                       those on screen when a prompt was delivered shows that prompt's turn is over, even when no
 *                       capture saw it at work ({@code turns:}); empty: no such evidence
 */
public record Profile(String name, Path file, String description, int scanLines, List<String> processes,
                      boolean childMeansWorking,
                      Input input, List<Pattern> working, List<Pattern> finished, Optional<DialogSpec> approval,
                      List<DialogSpec> startupDialogs, List<DialogSpec> limitDialogs, Optional<ContextSpec> context,
                      RateLimitSpec rateLimit,
                      ExitSpec exited, DeliverySpec delivery, KeysSpec stop, KeysSpec clear, KeysSpec interrupt,
                      java.util.Map<String, String> policy, Hooks hooks, List<String> resume, List<Pattern> turns) {

    /** The event hooks a CLI offers rulemux: {@code hooks: claude-code | codex-notify | gemini | none}. */
    public enum Hooks {
        /** No hooks: the screen alone classifies the agent. */
        NONE("none"),
        /** Claude Code's hooks (Stop, UserPromptSubmit, Notification, SessionStart, PreCompact), from a settings file
         * passed with {@code --settings}. */
        CLAUDE_CODE("claude-code"),
        /** Codex's {@code notify} program (agent-turn-complete), set with {@code -c notify=[…]}. */
        CODEX_NOTIFY("codex-notify"),
        /** Gemini CLI's hooks (SessionStart, BeforeAgent, AfterAgent, Notification, PreCompress), from a system-defaults
         * settings file named by {@code GEMINI_CLI_SYSTEM_DEFAULTS_PATH} (the lowest layer: the user's own settings win). */
        GEMINI("gemini");

        private final String word;

        Hooks(String word) {
            this.word = word;
        }

        /** As written in a profile. */
        public String word() {
            return word;
        }

        /**
         * The event by which this CLI's hooks report a prompt it took ({@code UserPromptSubmit}, {@code BeforeAgent});
         * empty for hooks that have none (Codex's notify runs only when a turn ends).
         */
        public java.util.Optional<String> promptSubmittedEvent() {
            return java.util.Optional.ofNullable(switch (this) {
                case CLAUDE_CODE -> "UserPromptSubmit";
                case GEMINI -> "BeforeAgent";
                case CODEX_NOTIFY, NONE -> null;
            });
        }

        public static java.util.Optional<Hooks> of(String word) {
            return java.util.Arrays.stream(values()).filter(h -> h.word.equalsIgnoreCase(word.trim())).findFirst();
        }
    }

    public Profile {
        resume = List.copyOf(resume);
        turns = List.copyOf(turns);
        policy = java.util.Map.copyOf(policy);
        processes = List.copyOf(processes);
        working = List.copyOf(working);
        finished = List.copyOf(finished);
        startupDialogs = List.copyOf(startupDialogs);
        limitDialogs = List.copyOf(limitDialogs);
    }

    /**
     * The input box.
     *
     * @param line         the input line; its named group {@code draft} is the typed text
     * @param placeholders texts the CLI shows in an empty box (dim on screen, plain in a capture)
     * @param paste        a paste placeholder in the box ({@code [Pasted text #1 +20 lines]}), or null
     * @param within       the input line counts only among this many non-blank lines from the bottom
     * @param skipEmpty    an input line with no draft does not end the search: a line with one above it, still
     *                     within {@code within}, is the input line (a box of several lines whose draft is not on its
     *                     lowest, as opencode's); with none, the lowest empty one is
     */
    public record Input(Pattern line, List<Pattern> placeholders, Pattern paste, int within, boolean skipEmpty) {
        public Input {
            placeholders = List.copyOf(placeholders);
        }

        public Input(Pattern line, List<Pattern> placeholders, Pattern paste, int within) {
            this(line, placeholders, paste, within, false);
        }
    }

    /** A dialog: the markers that identify it and the tmux key names that accept or decline it. */
    public record DialogSpec(String name, List<Pattern> markers, List<String> accept, List<String> decline) {
        public DialogSpec {
            markers = List.copyOf(markers);
            accept = List.copyOf(accept);
            decline = List.copyOf(decline);
        }
    }

    /** The context meter: its named group {@code percent} is % used, or % left when {@code measuresLeft}. */
    public record ContextSpec(Pattern marker, boolean measuresLeft) {
    }

    /** Limit markers; {@code reset}'s named group {@code reset} is the reset time when shown. */
    public record RateLimitSpec(List<Pattern> markers, Pattern reset) {
        public RateLimitSpec {
            markers = List.copyOf(markers);
        }
    }

    /**
     * How to tell the CLI has exited: markers it prints on exit, patterns of a shell prompt that count only on
     * the very last line (the CLI's own last line never looks like one), and pane commands (shells) that mean
     * it is gone.
     */
    public record ExitSpec(List<Pattern> markers, List<Pattern> lastLine, List<String> commands) {
        public ExitSpec {
            markers = List.copyOf(markers);
            lastLine = List.copyOf(lastLine);
            commands = List.copyOf(commands);
        }
    }

    /**
     * How a prompt gets submitted.
     *
     * @param submitDelay      how long to wait between pasting and pressing the submit keys, at most
     * @param submitKeys       the tmux key names that submit (usually {@code Enter})
     * @param maxInlineBytes   prompts larger than this go through a file the agent is told to read
     * @param submitAfterDraft when set, the submit keys are pressed this long after the pasted text shows in the
     *                         input box, if that comes before {@code submitDelay}; null: always after {@code submitDelay}
     * @param maxInlineLines   prompts of more lines than this also go through a file
     */
    public record DeliverySpec(Duration submitDelay, List<String> submitKeys, int maxInlineBytes, Duration submitAfterDraft,
                               int maxInlineLines) {
        public DeliverySpec {
            submitKeys = List.copyOf(submitKeys);
        }

        public DeliverySpec(Duration submitDelay, List<String> submitKeys, int maxInlineBytes) {
            this(submitDelay, submitKeys, maxInlineBytes, null, Integer.MAX_VALUE);
        }

        /** Whether {@code text} is pasted as it is, not sent through a file: within both limits. */
        public boolean inline(String text) {
            if (text.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > maxInlineBytes) {
                return false;
            }
            return maxInlineLines == Integer.MAX_VALUE || text.lines().count() <= maxInlineLines;
        }
    }

    /**
     * Text typed (then submitted) and/or tmux key names pressed, for stopping, clearing or interrupting the CLI;
     * {@code restart}: launch the CLI again instead (for a CLI with no way to clear its context).
     */
    public record KeysSpec(String command, List<String> keys, boolean restart) {
        public KeysSpec {
            keys = List.copyOf(keys);
        }

        public KeysSpec(String command, List<String> keys) {
            this(command, keys, false);
        }

        public boolean isEmpty() {
            return (command == null || command.isEmpty()) && keys.isEmpty() && !restart;
        }
    }
}
