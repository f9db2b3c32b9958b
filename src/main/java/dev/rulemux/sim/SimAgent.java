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
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * {@code rulemux sim-agent}: a small terminal program that looks and behaves like a coding-agent CLI, so
 * that rulemux can be shown and tested with no model, no key and no network. It has an input box; bracketed
 * paste; paste detection that turns an Enter arriving with the typed or pasted text into a newline (the
 * trap real CLIs set); a spinner with {@code esc to interrupt} while it works; a finished-turn line; a
 * context meter that fills up; approval dialogs, stalls, API errors and a usage limit when the prompt asks
 * for them with the mock server's directives ({@code [mock work=5s tokens=150000 tool=shell status=429
 * limit=usage stall]}). {@code /clear}, {@code /compact} and {@code /exit} work as in the real CLIs.
 *
 * <p>This is its terminal: it reads the keys, decodes them for the {@link SimAgentModel} (what the agent does,
 * on a clock) and draws the model on the screen whenever the drawing changes.
 */
public final class SimAgent {

    private static final String[] SPINNER = {"⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"};
    private static final int MAX_DRAFT_LINES_SHOWN = 5;

    private final SimAgentModel model;
    private final Clock clock;
    private final InputStream in;
    private final OutputStream out;
    /** Inside a bracketed paste: what arrives goes into the draft as it is. */
    private boolean inPaste;
    /** The screen went away. */
    private boolean gone;
    private int rows = 50;
    private int cols = 200;

    public SimAgent(SimAgentModel.Options options, InputStream in, OutputStream out) {
        this(new SimAgentModel(options, Clock.systemDefaultZone()), Clock.systemDefaultZone(), in, out);
    }

    SimAgent(SimAgentModel model, Clock clock, InputStream in, OutputStream out) {
        this.model = model;
        this.clock = clock;
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
            while (!model.exited() && !gone) {
                byte[] chunk = chunks.poll(100, TimeUnit.MILLISECONDS);
                if (chunk != null && chunk.length == 0) {
                    break;
                }
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
                    handle(chars.toString());
                }
                model.tick();
                long now = clock.millis();
                if (now - lastSize > 1000) {
                    readSize();
                    lastSize = now;
                }
                String frame = render();
                if (!frame.equals(lastFrame)) {
                    write("\u001b[H\u001b[2J" + frame);
                    lastFrame = frame;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            write("\u001b[?2004l\u001b[?25h\u001b[H\u001b[2J");
            List<String> transcript = model.transcript();
            for (String line : transcript.subList(Math.max(0, transcript.size() - 5), transcript.size())) {
                write(line + "\r\n");
            }
            write("Bye from sim-agent " + model.options().name() + ".\r\n");
            terminal("sane");
        }
        return 0;
    }

    // ---------------------------------------------------------------- input

    /** Decodes one read from the terminal into keys for the model: what arrived together is what a TUI sees together. */
    void handle(String chunk) {
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
                    i += 5;
                    model.pasteEnded();
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
                model.escape();
                continue;
            }
            if (inPaste) {
                model.paste(c);
                continue;
            }
            if (c == '\r' || c == '\n') {
                model.enter(typedInChunk);
                continue;
            }
            if (c == 3) {
                model.ctrlC();
                continue;
            }
            if (c == 127 || c == 8) {
                model.backspace();
                continue;
            }
            if (c == '\t' || c >= ' ') {
                typedInChunk |= model.type(c);
            }
        }
    }

    // ---------------------------------------------------------------- screen

    /** The model as the screen shows it: banner, transcript, then the spinner, the dialog or the input box. */
    String render() {
        List<String> bottom = new ArrayList<>();
        Optional<SimAgentModel.Working> working = model.working();
        working.ifPresent(w -> {
            // a stalled turn freezes its whole line, timer included: nothing on screen moves
            long secs = w.stalled() ? 0 : w.elapsed().toMillis() / 1000;
            if (w.retrying()) {
                int attempt = (int) Math.min(10, 1 + secs / 2);
                bottom.add("⚠ API error · Retrying in 2s · attempt " + attempt + "/10");
            }
            bottom.add(SPINNER[w.frame() % SPINNER.length] + " Working… (" + secs + "s · esc to interrupt)");
        });
        String rule = "─".repeat(Math.max(10, Math.min(cols, 200) - 1));
        Optional<String> approval = model.approvalAsked();
        if (approval.isPresent()) {
            bottom.add(rule);
            bottom.add(" Run this command?");
            bottom.add("   " + approval.get());
            bottom.add(" ❯ 1. Yes");
            bottom.add("   2. No");
            bottom.add(" Enter to confirm · Esc to cancel");
        } else {
            bottom.add(rule);
            bottom.addAll(draftLines());
            bottom.add(rule);
            String left = working.isPresent() ? "  esc to interrupt" : model.exitArmed() ? "  Press Ctrl-C again to exit" : "  ? for shortcuts";
            Optional<Duration> limited = model.limitedFor();
            if (limited.isPresent()) {
                left += " · usage limit · resets in " + (limited.get().toMillis() + 999) / 1000 + "s";
            }
            bottom.add(left + " · " + model.contextPercent() + "% context used");
        }
        List<String> screen = new ArrayList<>();
        screen.add(" ✳ sim-agent " + model.options().name() + " · rulemux's simulated coding agent");
        screen.add("   " + Path.of("").toAbsolutePath());
        screen.add("");
        int room = Math.max(0, rows - screen.size() - bottom.size() - 1);
        List<String> lines = new ArrayList<>();
        for (String entry : model.transcript()) {
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
        String text = model.draft();
        String[] lines = text.split("\n", -1);
        if (model.draftPasted() && (lines.length > MAX_DRAFT_LINES_SHOWN || text.length() > 800)) {
            return List.of("> [Pasted text #" + model.pastes() + " +" + lines.length + " lines]");
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

    private String clip(String line) {
        return line.length() > cols - 1 ? line.substring(0, Math.max(0, cols - 2)) + "…" : line;
    }

    // ---------------------------------------------------------------- plumbing

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
            gone = true;
        }
    }
}
