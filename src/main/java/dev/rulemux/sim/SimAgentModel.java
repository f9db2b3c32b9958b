package dev.rulemux.sim;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the simulated agent is doing, apart from its terminal ({@link SimAgent} draws it and feeds it keys): the
 * input box's draft, the transcript, the turn at work (for as long as its {@code [mock work=…]} says), an approval
 * dialog, a stall, an API error, a usage limit and the context meter. Time is read from the {@link Clock} it is
 * given, only: each call sees the clock's present, and {@link #tick} moves the turn under way along to it.
 *
 * <p>Keys come in as the terminal decoded them: {@link #type}, {@link #paste} and {@link #pasteEnded},
 * {@link #enter}, {@link #backspace}, {@link #escape}, {@link #ctrlC}.
 */
public final class SimAgentModel {

    /**
     * @param name          shown in the banner
     * @param contextWindow tokens the context meter counts against
     * @param pasteGrace    an Enter arriving this soon after a paste is taken as a newline
     * @param limitReset    how long a usage limit lasts
     * @param log           where to append every prompt received (one JSON object per line), or null
     */
    public record Options(String name, long contextWindow, Duration pasteGrace, Duration limitReset, Path log) {
    }

    /** What the agent is doing. */
    public enum State {
        /** Waiting for a prompt (perhaps under a usage limit: see {@link #limitedFor}). */
        IDLE,
        /** A turn is at work (perhaps stalled, its screen frozen). */
        WORKING,
        /** A turn waits for the user to approve its tool call. */
        AWAITING_APPROVAL
    }

    /**
     * The turn at work, as the screen shows it.
     *
     * @param elapsed  since the turn started
     * @param stalled  the turn hangs: nothing on its screen moves
     * @param retrying the turn ends in an API error, retried meanwhile
     * @param frame    how many ticks it has moved on (the spinner's frame)
     */
    public record Working(Duration elapsed, boolean stalled, boolean retrying, int frame) {
    }

    private static final Pattern PROMPT_FILE = Pattern.compile("in the file (\\S+?)\\.? Read");
    /** A handoff-note request (prompts/prepare-handoff.md): the task, and the file to write. */
    private static final Pattern HANDOFF = Pattern.compile("\\[rulemux handoff (\\S+)][\\s\\S]*?to this file:\\s*(\\S+)");
    private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm:ss");
    private static final long NEVER = Long.MIN_VALUE;

    private final Options options;
    private final Clock clock;
    private final List<String> transcript = new ArrayList<>();
    /** Prompts submitted while a turn runs, run after it, as Claude Code does. */
    private final List<String> queued = new ArrayList<>();
    /** How many prompts with each limit directive hit the limit ({@code fail=N}: only the first N do). */
    private final Map<String, Integer> limitHits = new HashMap<>();
    /** How many turns with each {@code stall=N} directive hung. */
    private final Map<String, Integer> stallHits = new HashMap<>();
    private final StringBuilder draft = new StringBuilder();
    private boolean draftPasted;
    private int pastes;
    private long contextTokens;
    private Turn turn;
    private Approval approval;
    private long limitUntil = NEVER;
    private long lastPasteEnd = NEVER;
    private boolean ctrlCOnce;
    private boolean exit;

    /** A turn at work. */
    private static final class Turn {
        final String prompt;
        final Script script;
        final long start;
        final long end;
        /** Whether this turn hangs, its screen frozen (decided when it starts, see {@link #stallsNow}). */
        final boolean stalls;
        boolean approved;
        int frame;

        Turn(String prompt, Script script, long start, boolean stalls) {
            this.prompt = prompt;
            this.script = script;
            this.start = start;
            this.end = start + script.work().toMillis();
            this.stalls = stalls;
        }
    }

    private record Approval(String command) {
    }

    public SimAgentModel(Options options, Clock clock) {
        this.options = options;
        this.clock = clock;
    }

    public Options options() {
        return options;
    }

    // ---------------------------------------------------------------- keys

    /**
     * A character typed: an answer to the approval dialog when one shows, else into the draft.
     *
     * @return whether it went into the draft
     */
    public boolean type(char c) {
        if (approval != null) {
            answer(c);
            return false;
        }
        draft.append(c);
        ctrlCOnce = false;
        return true;
    }

    /** A character of a bracketed paste, into the draft as it is (a carriage return as a newline). */
    public void paste(char c) {
        draft.append(c == '\r' ? '\n' : c);
    }

    /** The end of a bracketed paste: an Enter within {@link Options#pasteGrace} of it is a newline. */
    public void pasteEnded() {
        lastPasteEnd = clock.millis();
        pastes++;
        draftPasted = true;
    }

    /**
     * Enter: submits the draft (or approves the dialog showing), unless it arrived with typed text or right after a
     * paste: then it is a newline in the draft, the trap real CLIs set for a program that types a prompt and Enter
     * at once.
     *
     * @param withTypedText the Enter arrived in the same read as characters typed before it
     */
    public void enter(boolean withTypedText) {
        long now = clock.millis();
        boolean burst = withTypedText || (lastPasteEnd != NEVER && now - lastPasteEnd < options.pasteGrace().toMillis());
        if (burst) {
            draft.append('\n');
            return;
        }
        if (approval != null) {
            answer('1');
            return;
        }
        String prompt = draft.toString();
        if (prompt.isBlank()) {
            return;
        }
        draft.setLength(0);
        draftPasted = false;
        if (turn != null) {
            queued.add(prompt);
            transcript.add("  ❯ " + firstLine(prompt) + " (queued)");
            return;
        }
        submit(prompt, now);
    }

    public void backspace() {
        if (draft.length() > 0) {
            draft.setLength(draft.length() - 1);
        }
    }

    /** Esc: declines the tool call asked for, else interrupts the turn at work. */
    public void escape() {
        if (approval != null) {
            approval = null;
            finishTurn("■ Tool call declined", clock.millis());
        } else if (turn != null) {
            finishTurn("■ Interrupted", clock.millis());
        }
    }

    /** Ctrl-C: interrupts the turn, else clears the draft, else asks to be pressed again, then exits. */
    public void ctrlC() {
        if (turn != null) {
            finishTurn("■ Interrupted", clock.millis());
        } else if (draft.length() > 0) {
            draft.setLength(0);
            draftPasted = false;
        } else if (ctrlCOnce) {
            exit = true;
        } else {
            ctrlCOnce = true;
        }
    }

    private void answer(char c) {
        if (c == '1' || c == 'y') {
            turn.approved = true;
            transcript.add("● Ran " + approval.command());
            approval = null;
        } else if (c == '2' || c == 'n') {
            approval = null;
            finishTurn("■ Tool call declined", clock.millis());
        }
    }

    // ---------------------------------------------------------------- turns

    private void submit(String prompt, long now) {
        log(prompt, now);
        transcript.add("» " + firstLine(prompt));
        switch (prompt.strip()) {
            case "/exit", "/quit" -> {
                exit = true;
                return;
            }
            case "/clear" -> {
                transcript.clear();
                contextTokens = 0;
                transcript.add("(context cleared)");
                return;
            }
            case "/compact" -> {
                contextTokens = contextTokens / 10;
                transcript.add("(context compacted)");
                return;
            }
            default -> {
            }
        }
        if (limitUntil != NEVER && now < limitUntil) {
            transcript.add("⚠ Usage limit reached · resets in " + (limitUntil - now) / 1000 + "s");
            return;
        }
        Script script;
        try {
            script = Script.parse(prompt);
        } catch (RuntimeException e) {
            transcript.add("● Directive error: " + e.getMessage());
            return;
        }
        if (script.limit().isPresent() && (script.fail() <= 0
                || limitHits.merge(script.directive(), 1, Integer::sum) <= script.fail())) {
            limitUntil = now + options.limitReset().toMillis();
            transcript.add("⚠ Usage limit reached · resets " + LocalTime.now(clock).plus(options.limitReset()).format(CLOCK));
            return;
        }
        Matcher handoff = HANDOFF.matcher(prompt);
        if (handoff.find()) {
            writeHandoffNote(handoff.group(1), Path.of(handoff.group(2)));
        }
        turn = new Turn(prompt, script, now, stallsNow(script));
        // tokens=N sets the context used, as a model's reported input tokens would; else each turn adds to it.
        contextTokens = script.options().containsKey("tokens") ? script.tokens() : contextTokens + prompt.length() / 4 + 400;
    }

    /**
     * {@code stall} (bare, or {@code stall=yes}) in the directive: the turn hangs, its screen frozen;
     * {@code stall=N}: only the first N turns with this directive hang (the task goes through when sent again).
     */
    private boolean stallsNow(Script script) {
        String value = script.options().get("stall");
        if (value == null) {
            return script.directive().matches("(?s).*[\\[\\s]stall[\\s\\]].*");
        }
        if (value.matches("\\d+")) {
            return stallHits.merge(script.directive(), 1, Integer::sum) <= Integer.parseInt(value);
        }
        return true;
    }

    /** Moves the turn under way along to the clock's present: its spinner, its dialog, its end. */
    public void tick() {
        if (turn == null) {
            return;
        }
        long now = clock.millis();
        if (!turn.stalls) {
            turn.frame++;
        }
        if (turn.script.tool().isPresent() && !turn.approved && approval == null && now - turn.start >= turn.script.work().toMillis() / 2) {
            approval = new Approval(turn.script.cmd());
        }
        if (approval != null || turn.stalls) {
            return;
        }
        if (now >= turn.end) {
            if (turn.script.status().isPresent()) {
                finishTurn("● API Error: " + turn.script.status().getAsInt() + " (simulated)", now);
            } else {
                String reply = turn.script.reply().orElse("Done: " + firstWords(Script.withoutDirective(turn.prompt)));
                String file = turn.script.options().get("write");
                if (file != null && !file.isBlank()) {
                    writeWork(Path.of(file), turn.script.options().getOrDefault("text", options.name() + " was here"));
                }
                transcript.add("● " + reply);
                finishTurn(null, now);
            }
        }
    }

    private void finishTurn(String note, long now) {
        if (note != null) {
            transcript.add(note);
        }
        logEvent("turn_end", now);
        long secs = Math.max(1, (now - turn.start) / 1000);
        transcript.add("✻ Worked for " + secs + "s");
        turn = null;
        approval = null;
        if (!queued.isEmpty()) {
            submit(queued.remove(0), now);
        }
    }

    /** The work of a turn with {@code write=FILE} ({@code text="…"}): a line appended to FILE, as an agent edits a file. */
    private void writeWork(Path file, String line) {
        try {
            if (file.toAbsolutePath().getParent() != null) {
                Files.createDirectories(file.toAbsolutePath().getParent());
            }
            Files.writeString(file, line + "\n", StandardCharsets.UTF_8, java.nio.file.StandardOpenOption.CREATE,
                    java.nio.file.StandardOpenOption.APPEND);
            transcript.add("● Edited " + file);
        } catch (IOException | RuntimeException e) {
            transcript.add("● Could not edit " + file + ": " + e.getMessage());
        }
    }

    /** What an agent asked for a handoff note writes: where the work stands, for whoever continues it. */
    private void writeHandoffNote(String task, Path file) {
        String note = "# Handoff: " + task + " (from " + options.name() + ")\n\n"
                + "## Context\n" + options.name() + " was working on " + task + " when its context filled up.\n\n"
                + "## State of the work\nThe first half is done and committed; the second half is sketched.\n\n"
                + "## Remaining work\n- finish the second half\n- run the tests\n\n"
                + "## Decisions\n- kept the existing interfaces\n\n"
                + "## Files touched\n- src/main.txt\n";
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            Files.writeString(file, note, StandardCharsets.UTF_8);
            transcript.add("● Wrote the handoff note " + file);
        } catch (IOException | RuntimeException e) {
            transcript.add("● Could not write the handoff note " + file + ": " + e.getMessage());
        }
    }

    // ---------------------------------------------------------------- what it shows

    public State state() {
        return approval != null ? State.AWAITING_APPROVAL : turn != null ? State.WORKING : State.IDLE;
    }

    /** The turn at work, while no approval dialog shows. */
    public Optional<Working> working() {
        if (turn == null || approval != null) {
            return Optional.empty();
        }
        return Optional.of(new Working(Duration.ofMillis(clock.millis() - turn.start), turn.stalls,
                turn.script.status().isPresent(), turn.frame));
    }

    /** The command the approval dialog asks about, while it shows. */
    public Optional<String> approvalAsked() {
        return approval == null ? Optional.empty() : Optional.of(approval.command());
    }

    /** How long the usage limit still lasts; empty when there is none. */
    public Optional<Duration> limitedFor() {
        long now = clock.millis();
        return limitUntil != NEVER && now < limitUntil ? Optional.of(Duration.ofMillis(limitUntil - now)) : Optional.empty();
    }

    /** What the transcript shows, oldest first: prompts, replies, notes, one entry (perhaps of several lines) each. */
    public List<String> transcript() {
        return List.copyOf(transcript);
    }

    /** The input box's text. */
    public String draft() {
        return draft.toString();
    }

    /** The draft came from a paste (and may show as {@code [Pasted text #N …]}). */
    public boolean draftPasted() {
        return draftPasted;
    }

    /** How many pastes arrived so far. */
    public int pastes() {
        return pastes;
    }

    /** Ctrl-C was pressed once with nothing to interrupt or clear: a second one exits. */
    public boolean exitArmed() {
        return ctrlCOnce;
    }

    /** The context meter: per cent of the context window used. */
    public int contextPercent() {
        return (int) Math.min(100, contextTokens * 100 / Math.max(1, options.contextWindow()));
    }

    /** {@code /exit}, or Ctrl-C twice. */
    public boolean exited() {
        return exit;
    }

    // ---------------------------------------------------------------- log

    private void log(String prompt, long now) {
        if (options.log() == null) {
            return;
        }
        String fileContent = null;
        Matcher m = PROMPT_FILE.matcher(prompt);
        if (m.find()) {
            try {
                fileContent = Files.readString(Path.of(m.group(1)), StandardCharsets.UTF_8);
            } catch (IOException | RuntimeException e) {
                fileContent = null;
            }
        }
        ObjectNode json = Json.object();
        json.put("agent", options.name());
        json.put("at", now);
        json.put("prompt", prompt);
        if (fileContent != null) {
            json.put("file_content", fileContent);
        }
        try {
            Files.writeString(options.log(), Json.write(json) + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND);
        } catch (IOException e) {
            transcript.add("(cannot write the prompt log: " + e.getMessage() + ")");
        }
    }

    /** Appends a {@code {"agent", "event", "at"}} line to the log (the benchmark times turns with it). */
    private void logEvent(String event, long at) {
        if (options.log() == null) {
            return;
        }
        ObjectNode json = Json.object();
        json.put("agent", options.name());
        json.put("event", event);
        json.put("at", at);
        try {
            Files.writeString(options.log(), Json.write(json) + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND);
        } catch (IOException e) {
            transcript.add("(cannot write the log: " + e.getMessage() + ")");
        }
    }

    static String firstLine(String text) {
        String line = text.strip().lines().findFirst().orElse("");
        int more = (int) text.strip().lines().count() - 1;
        return (line.length() > 120 ? line.substring(0, 120) + "…" : line) + (more > 0 ? " (+" + more + " lines)" : "");
    }

    private static String firstWords(String text) {
        String[] words = text.strip().split("\\s+");
        return String.join(" ", Arrays.asList(words).subList(0, Math.min(8, words.length)));
    }
}
