package dev.rulemux.loop;

import dev.rulemux.board.Journal;
import dev.rulemux.config.Retention;
import dev.rulemux.text.TerminalText;
import java.io.BufferedWriter;
import java.io.Closeable;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;

/**
 * What a run tells people, as the seeds' scripts did: {@code logs/orchestration.log} (every decision and
 * action, with its reason), {@code logs/monitor.log} (status changes), {@code logs/dispatch.log} (prompts
 * sent, submitted, retried), one console line per event, and a compact progress line.
 */
public final class EventLog implements Closeable {

    private static final DateTimeFormatter CONSOLE_TIME = DateTimeFormatter.ofPattern("HH:mm:ss").withZone(ZoneId.systemDefault());

    private final PrintWriter console;
    private final Journal journal;
    private final boolean inPlace;
    private final Clock clock;
    private final LogFile orchestration;
    private final LogFile monitor;
    private final LogFile dispatch;
    private String progress = "";
    private String printedKey = "";
    private long printedAt;

    /**
     * @param logsDir where the three log files go (created if needed; appended to)
     * @param console the console
     * @param inPlace redraw the progress line in place (a terminal), rather than print it when it changes
     */
    public EventLog(Path logsDir, PrintWriter console, boolean inPlace, Clock clock) {
        this(logsDir, console, inPlace, clock, Journal.NONE);
    }

    /** As above, also writing every event to {@code journal} (the state database's event table). */
    public EventLog(Path logsDir, PrintWriter console, boolean inPlace, Clock clock, Journal journal) {
        this(logsDir, console, inPlace, clock, journal, Retention.DEFAULT);
    }

    /** As above, each log rotated as {@code retention} says. */
    public EventLog(Path logsDir, PrintWriter console, boolean inPlace, Clock clock, Journal journal, Retention retention) {
        this.console = console;
        this.journal = journal;
        this.inPlace = inPlace;
        this.clock = clock;
        try {
            Files.createDirectories(logsDir);
            orchestration = new LogFile(logsDir.resolve("orchestration.log"), retention);
            monitor = new LogFile(logsDir.resolve("monitor.log"), retention);
            dispatch = new LogFile(logsDir.resolve("dispatch.log"), retention);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write logs in " + logsDir + ": " + e.getMessage(), e);
        }
    }

    /** A general message of the run: orchestration.log, the console and the journal. */
    public synchronized void decision(String text) {
        write(orchestration, text);
        say(text);
        journal(Journal.Kind.INFO, null, null, text);
    }

    /** An action carried out on an agent: orchestration.log, the console and the journal. */
    public synchronized void action(String agent, String task, String text) {
        write(orchestration, text);
        say(text);
        journal(Journal.Kind.ACTION, agent, task, text);
    }

    /** A task changed state: orchestration.log, the console and the journal. */
    public synchronized void transition(String agent, String task, String text) {
        transition(agent, task, text, true);
    }

    /**
     * A task's transition, as {@link #transition(String, String, String)}; with {@code toJournal} false its journal
     * event is already written (by the board, in the same change as the move), so only the log and console get it.
     */
    public synchronized void transition(String agent, String task, String text, boolean toJournal) {
        write(orchestration, text);
        say(text);
        if (toJournal) {
            journal(Journal.Kind.TRANSITION, agent, task, text);
        }
    }

    /** Something a person should know: orchestration.log, the console and the journal. */
    public synchronized void alert(String agent, String task, String text) {
        write(orchestration, "ALERT " + text);
        say("ALERT " + text);
        journal(Journal.Kind.ALERT, agent, task, text);
    }

    /** A person's input is needed (an approval, a blocked task): orchestration.log, the console and the journal. */
    public synchronized void needsInput(String agent, String task, String text) {
        write(orchestration, "NEEDS INPUT " + text);
        say("NEEDS INPUT " + text);
        journal(Journal.Kind.ALERT, agent, task, "needs input: " + text);
    }

    /** An agent's own report: orchestration.log, the console and the journal. */
    public synchronized void report(String agent, String task, String text) {
        write(orchestration, text);
        say(text);
        journal(Journal.Kind.REPORT, agent, task, text);
    }

    /** An agent's status changed: monitor.log, orchestration.log, the console and the journal. */
    public synchronized void status(String agent, String from, String to, String reason) {
        String text = agent + " " + from + " -> " + to + ": " + reason;
        write(monitor, text);
        write(orchestration, text);
        say(text);
        journal(Journal.Kind.STATUS, agent, null, text);
    }

    /** A prompt was sent, submitted or retried: dispatch.log, orchestration.log, the console and the journal. */
    public synchronized void dispatch(String agent, String task, String text) {
        write(dispatch, text);
        write(orchestration, text);
        say(text);
        journal(Journal.Kind.DISPATCH, agent, task, text);
    }

    /** A note for the logs only (details a person reads after the fact). */
    public synchronized void note(String text) {
        write(orchestration, text);
    }

    /** Something went wrong that the run survives. */
    public synchronized void warn(String text) {
        write(orchestration, "WARNING " + text);
        say("warning: " + text);
        journal(Journal.Kind.WARNING, null, null, text);
    }

    public Journal journal() {
        return journal;
    }

    private void journal(Journal.Kind kind, String agent, String task, String text) {
        try {
            journal.event(kind, agent, task, text);
        } catch (RuntimeException e) {
            write(orchestration, "WARNING cannot write the journal: " + e.getMessage());
        }
    }

    /**
     * The compact progress line: redrawn in place on a terminal; elsewhere (a log file, CI) printed only when
     * {@code key} (the counts it shows) changes, or every 30 s.
     */
    public synchronized void progress(String line, String key) {
        if (line.equals(progress)) {
            return;
        }
        progress = line;
        line = TerminalText.line(line);
        if (inPlace) {
            console.print("\r\u001b[K" + line);
        } else {
            long now = clock.millis();
            if (key.equals(printedKey) && now - printedAt < 30_000) {
                return;
            }
            printedKey = key;
            printedAt = now;
            console.println(line);
        }
        console.flush();
    }

    /** Ends the progress line so that what follows starts on a line of its own. */
    public synchronized void endProgress() {
        if (inPlace && !progress.isEmpty()) {
            console.println();
            console.flush();
        }
        progress = "";
    }

    private void say(String text) {
        String line = CONSOLE_TIME.format(clock.instant()) + "  " + TerminalText.line(text);
        if (inPlace && !progress.isEmpty()) {
            console.print("\r\u001b[K" + line + "\n" + TerminalText.line(progress));
        } else {
            console.println(line);
        }
        console.flush();
    }

    private void write(LogFile log, String text) {
        try {
            log.append(Instant.now(clock) + "  " + TerminalText.line(text) + System.lineSeparator());
        } catch (IOException e) {
            console.println("warning: cannot write the log: " + TerminalText.line(e.getMessage()));
        }
    }

    private static BufferedWriter open(Path file) throws IOException {
        return Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }

    /**
     * A log file appended to, rotated when a line would take it past {@link Retention#logBytes}: {@code x.log}
     * becomes {@code x.log.1}, {@code x.log.1} becomes {@code x.log.2}, …, and files past
     * {@link Retention#logsKept} are deleted.
     */
    private static final class LogFile implements Closeable {
        private final Path file;
        private final Retention retention;
        private BufferedWriter out;
        private long size;

        LogFile(Path file, Retention retention) throws IOException {
            this.file = file;
            this.retention = retention;
            this.out = open(file);
            this.size = Files.size(file);
        }

        void append(String line) throws IOException {
            byte[] bytes = line.getBytes(StandardCharsets.UTF_8);
            if (size > 0 && size + bytes.length > retention.logBytes()) {
                rotate();
            }
            out.write(line);
            out.flush();
            size += bytes.length;
        }

        private void rotate() throws IOException {
            out.close();
            int kept = retention.logsKept();
            Files.deleteIfExists(rotated(kept));
            for (int i = kept - 1; i >= 1; i--) {
                if (Files.exists(rotated(i))) {
                    Files.move(rotated(i), rotated(i + 1), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                }
            }
            if (kept > 0) {
                Files.move(file, rotated(1), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            } else {
                Files.delete(file);
            }
            out = open(file);
            size = 0;
        }

        private Path rotated(int n) {
            return file.resolveSibling(file.getFileName() + "." + n);
        }

        @Override
        public void close() throws IOException {
            out.close();
        }
    }

    @Override
    public synchronized void close() {
        endProgress();
        for (LogFile w : new LogFile[] {orchestration, monitor, dispatch}) {
            try {
                w.close();
            } catch (IOException ignored) {
                // closing a log at exit: nothing useful left to do
            }
        }
    }
}
