package dev.rulemux.sim;

import dev.rulemux.proc.Exec;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code rulemux sim-agent}: a small terminal program that looks and behaves like a coding-agent CLI, so
 * that rulemux can be shown and tested with no model, no key and no network. It has an input box; bracketed
 * paste; paste detection that turns an Enter arriving with the typed or pasted text into a newline (the
 * trap real CLIs set); a spinner with {@code esc to interrupt} while it works; a finished-turn line; a
 * context meter that fills up; approval dialogs, stalls, API errors and a usage limit when the prompt asks
 * for them with the mock server's directives ({@code [mock work=5s tokens=150000 tool=shell status=429
 * limit=usage stall]}). {@code /clear}, {@code /compact} and {@code /exit} work as in the real CLIs.
 */
public final class SimAgent {

    /**
     * @param name          shown in the banner
     * @param contextWindow tokens the context meter counts against
     * @param pasteGrace    an Enter arriving this soon after a paste is taken as a newline
     * @param limitReset    how long a usage limit lasts
     * @param log           where to append every prompt received (one JSON object per line), or null
     */
    public record Options(String name, long contextWindow, Duration pasteGrace, Duration limitReset, Path log) {
    }

    private static final String[] SPINNER = {"⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"};
    private static final Pattern PROMPT_FILE = Pattern.compile("in the file (\\S+?)\\.? Read");
    /** A handoff-note request (prompts/prepare-handoff.md): the task, and the file to write. */
    private static final Pattern HANDOFF = Pattern.compile("\\[rulemux handoff (\\S+)][\\s\\S]*?to this file:\\s*(\\S+)");
    private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm:ss");
    private static final int MAX_DRAFT_LINES_SHOWN = 5;

    private final Options options;
    private final InputStream in;
    private final OutputStream out;
    private final List<String> transcript = new ArrayList<>();
    /** Prompts submitted while a turn runs, run after it, as Claude Code does. */
    private final List<String> queued = new ArrayList<>();
    /** How many prompts with each limit directive hit the limit ({@code fail=N}: only the first N do). */
    private final java.util.Map<String, Integer> limitHits = new java.util.HashMap<>();
    /** How many turns with each {@code stall=N} directive hung. */
    private final java.util.Map<String, Integer> stallHits = new java.util.HashMap<>();
    private final StringBuilder draft = new StringBuilder();
    private boolean draftPasted;
    private int pastes;
    private long contextTokens;
    private Turn turn;
    private Approval approval;
    private long limitUntil;
    private long lastPasteEnd = -1;
    private boolean inPaste;
    private boolean ctrlCOnce;
    private boolean exit;
    private int rows = 50;
    private int cols = 200;

    /** A turn at work. */
    private static final class Turn {
        final String prompt;
        final Script script;
        final long start;
        final long end;
        boolean approved;
        int frame;

        Turn(String prompt, Script script, long start) {
            this.prompt = prompt;
            this.script = script;
            this.start = start;
            this.end = start + script.work().toMillis();
        }

        /** Whether this turn hangs, its screen frozen (decided when it starts, see {@link #stallsNow}). */
        boolean stalls;

        boolean stalls() {
            return stalls;
        }
    }

    private record Approval(String command) {
    }

    public SimAgent(Options options, InputStream in, OutputStream out) {
        this.options = options;
        this.in = in;
        this.out = out;
    }

    /** Runs until {@code /exit} or a double Ctrl-C; returns the exit code. */
    public int run() {
        terminal("raw", "-echo");
        readSize();
        write("\u001b[?2004h\u001b[?25l");
        BlockingQueue<byte[]> chunks = new LinkedBlockingQueue<>();
        Thread reader = new Thread(() -> {
            byte[] buf = new byte[65536];
            try {
                int n;
                while ((n = in.read(buf)) > 0) {
                    chunks.add(Arrays.copyOf(buf, n));
                }
            } catch (IOException e) {
                // the terminal went away
            }
            chunks.add(new byte[0]);
        }, "sim-agent-input");
        reader.setDaemon(true);
        reader.start();
        CharsetDecoder utf8 = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPLACE)
                .onUnmappableCharacter(CodingErrorAction.REPLACE);
        ByteBuffer pending = ByteBuffer.allocate(256 * 1024);
        String lastFrame = "";
        long lastSize = 0;
        try {
            while (!exit) {
                byte[] chunk = chunks.poll(100, TimeUnit.MILLISECONDS);
                if (chunk != null && chunk.length == 0) {
                    break;
                }
                long now = System.currentTimeMillis();
                if (chunk != null) {
                    if (pending.remaining() < chunk.length) {
                        pending.clear();
                    }
                    pending.put(chunk);
                    pending.flip();
                    CharBuffer chars = CharBuffer.allocate(pending.remaining() + 16);
                    utf8.decode(pending, chars, false);
                    pending.compact();
                    chars.flip();
                    handle(chars.toString(), now);
                }
                advance(now);
                if (now - lastSize > 1000) {
                    readSize();
                    lastSize = now;
                }
                String frame = render(now);
                if (!frame.equals(lastFrame)) {
                    write("\u001b[H\u001b[2J" + frame);
                    lastFrame = frame;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            write("\u001b[?2004l\u001b[?25h\u001b[H\u001b[2J");
            for (String line : transcript.subList(Math.max(0, transcript.size() - 5), transcript.size())) {
                write(line + "\r\n");
            }
            write("Bye from sim-agent " + options.name() + ".\r\n");
            terminal("sane");
        }
        return 0;
    }

    // ---------------------------------------------------------------- input

    /** Handles one read from the terminal: what arrived together is what a TUI sees together. */
    void handle(String chunk, long now) {
        boolean typedInChunk = false;
        for (int i = 0; i < chunk.length(); i++) {
            char c = chunk.charAt(i);
            if (c == '\u001b') {
                if (chunk.startsWith("[200~", i + 1)) {
                    inPaste = true;
                    i += 5;
                    continue;
                }
                if (chunk.startsWith("[201~", i + 1)) {
                    inPaste = false;
                    lastPasteEnd = now;
                    i += 5;
                    pastes++;
                    draftPasted = true;
                    continue;
                }
                if (i + 1 < chunk.length() && (chunk.charAt(i + 1) == '[' || chunk.charAt(i + 1) == 'O')) {
                    // a cursor or function key: skip the sequence
                    int j = i + 2;
                    while (j < chunk.length() && !Character.isLetter(chunk.charAt(j)) && chunk.charAt(j) != '~') {
                        j++;
                    }
                    i = j;
                    continue;
                }
                escape();
                continue;
            }
            if (inPaste) {
                draft.append(c == '\r' ? '\n' : c);
                continue;
            }
            if (c == '\r' || c == '\n') {
                boolean burst = typedInChunk || (lastPasteEnd >= 0 && now - lastPasteEnd < options.pasteGrace().toMillis());
                if (burst) {
                    draft.append('\n');
                } else {
                    enter(now);
                }
                continue;
            }
            if (c == 3) {
                ctrlC();
                continue;
            }
            if (c == 127 || c == 8) {
                if (draft.length() > 0) {
                    draft.setLength(draft.length() - 1);
                }
                continue;
            }
            if (c == '\t' || c >= ' ') {
                if (approval != null) {
                    answer(c);
                    continue;
                }
                draft.append(c);
                typedInChunk = true;
                ctrlCOnce = false;
            }
        }
    }

    private void enter(long now) {
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

    private void escape() {
        if (approval != null) {
            approval = null;
            finishTurn("■ Tool call declined", System.currentTimeMillis());
        } else if (turn != null) {
            finishTurn("■ Interrupted", System.currentTimeMillis());
        }
    }

    private void ctrlC() {
        if (turn != null) {
            finishTurn("■ Interrupted", System.currentTimeMillis());
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
            finishTurn("■ Tool call declined", System.currentTimeMillis());
        }
    }

    // ---------------------------------------------------------------- turns

    private void submit(String prompt, long now) {
        log(prompt);
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
        if (now < limitUntil) {
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
            transcript.add("⚠ Usage limit reached · resets " + LocalTime.now().plus(options.limitReset()).format(CLOCK));
            return;
        }
        Matcher handoff = HANDOFF.matcher(prompt);
        if (handoff.find()) {
            writeHandoffNote(handoff.group(1), Path.of(handoff.group(2)));
        }
        turn = new Turn(prompt, script, now);
        turn.stalls = stallsNow(script);
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

    /** Moves the turn under way along: its dialog, its end. */
    private void advance(long now) {
        if (turn == null) {
            return;
        }
        if (!turn.stalls()) {
            turn.frame++;
        }
        if (turn.script.tool().isPresent() && !turn.approved && approval == null && now - turn.start >= turn.script.work().toMillis() / 2) {
            approval = new Approval(turn.script.cmd());
        }
        if (approval != null || turn.stalls()) {
            return;
        }
        if (now >= turn.end) {
            if (turn.script.status().isPresent()) {
                finishTurn("● API Error: " + turn.script.status().getAsInt() + " (simulated)", now);
            } else {
                String reply = turn.script.reply().orElse("Done: " + firstWords(Script.withoutDirective(turn.prompt)));
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

    // ---------------------------------------------------------------- screen

    String render(long now) {
        List<String> bottom = new ArrayList<>();
        if (turn != null && approval == null) {
            // a stalled turn freezes its whole line, timer included: nothing on screen moves
            long secs = turn.stalls() ? 0 : (now - turn.start) / 1000;
            if (turn.script.status().isPresent()) {
                int attempt = (int) Math.min(10, 1 + secs / 2);
                bottom.add("⚠ API error · Retrying in 2s · attempt " + attempt + "/10");
            }
            bottom.add(SPINNER[turn.frame % SPINNER.length] + " Working… (" + secs + "s · esc to interrupt)");
        }
        String rule = "─".repeat(Math.max(10, Math.min(cols, 200) - 1));
        if (approval != null) {
            bottom.add(rule);
            bottom.add(" Run this command?");
            bottom.add("   " + approval.command());
            bottom.add(" ❯ 1. Yes");
            bottom.add("   2. No");
            bottom.add(" Enter to confirm · Esc to cancel");
        } else {
            bottom.add(rule);
            bottom.addAll(draftLines());
            bottom.add(rule);
            String left = turn != null ? "  esc to interrupt" : ctrlCOnce ? "  Press Ctrl-C again to exit" : "  ? for shortcuts";
            if (now < limitUntil) {
                left += " · usage limit · resets in " + (limitUntil - now + 999) / 1000 + "s";
            }
            bottom.add(left + " · " + contextPercent() + "% context used");
        }
        List<String> screen = new ArrayList<>();
        screen.add(" ✳ sim-agent " + options.name() + " · rulemux's simulated coding agent");
        screen.add("   " + Path.of("").toAbsolutePath());
        screen.add("");
        int room = Math.max(0, rows - screen.size() - bottom.size() - 1);
        List<String> lines = new ArrayList<>();
        for (String entry : transcript) {
            for (String l : entry.split("\n")) {
                lines.add(clip(l));
            }
        }
        screen.addAll(lines.subList(Math.max(0, lines.size() - room), lines.size()));
        screen.add("");
        screen.addAll(bottom);
        return String.join("\r\n", screen);
    }

    private List<String> draftLines() {
        String text = draft.toString();
        String[] lines = text.split("\n", -1);
        if (draftPasted && (lines.length > MAX_DRAFT_LINES_SHOWN || text.length() > 800)) {
            return List.of("> [Pasted text #" + pastes + " +" + lines.length + " lines]");
        }
        List<String> out = new ArrayList<>();
        for (int i = 0; i < lines.length && i < MAX_DRAFT_LINES_SHOWN; i++) {
            out.add((i == 0 ? "> " : "  ") + clip(lines[i]));
        }
        if (lines.length > MAX_DRAFT_LINES_SHOWN) {
            out.add("  … " + (lines.length - MAX_DRAFT_LINES_SHOWN) + " more lines");
        }
        return out;
    }

    private int contextPercent() {
        return (int) Math.min(100, contextTokens * 100 / Math.max(1, options.contextWindow()));
    }

    private String clip(String line) {
        return line.length() > cols - 1 ? line.substring(0, Math.max(0, cols - 2)) + "…" : line;
    }

    // ---------------------------------------------------------------- plumbing

    private void log(String prompt) {
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
        com.fasterxml.jackson.databind.node.ObjectNode json = Json.object();
        json.put("agent", options.name());
        json.put("at", System.currentTimeMillis());
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
        com.fasterxml.jackson.databind.node.ObjectNode json = Json.object();
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

    private void readSize() {
        try {
            Exec.Result r = Exec.run(List.of("stty", "-F", "/dev/tty", "size"), Duration.ofSeconds(2));
            String[] parts = r.out().strip().split("\\s+");
            if (r.ok() && parts.length == 2) {
                rows = Integer.parseInt(parts[0]);
                cols = Integer.parseInt(parts[1]);
            }
        } catch (RuntimeException e) {
            // keep the last size
        }
    }

    private static void terminal(String... settings) {
        List<String> argv = new ArrayList<>(List.of("stty", "-F", "/dev/tty"));
        argv.addAll(List.of(settings));
        try {
            Exec.run(argv, Duration.ofSeconds(2));
        } catch (UncheckedIOException e) {
            // not on a terminal (a test feeding input): nothing to set
        }
    }

    private void write(String s) {
        try {
            out.write(s.getBytes(StandardCharsets.UTF_8));
            out.flush();
        } catch (IOException e) {
            exit = true;
        }
    }

    private static String firstLine(String text) {
        String line = text.strip().lines().findFirst().orElse("");
        int more = (int) text.strip().lines().count() - 1;
        return (line.length() > 120 ? line.substring(0, 120) + "…" : line) + (more > 0 ? " (+" + more + " lines)" : "");
    }

    private static String firstWords(String text) {
        String[] words = text.strip().split("\\s+");
        return String.join(" ", Arrays.asList(words).subList(0, Math.min(8, words.length)));
    }

    /** For tests: the current draft. */
    Optional<String> draft() {
        return draft.length() == 0 ? Optional.empty() : Optional.of(draft.toString());
    }
}
