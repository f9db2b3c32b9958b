package dev.rulemux.dashboard;

import java.io.PrintWriter;
import java.util.List;

/**
 * A terminal redrawn in place with plain ANSI escape codes (no curses, nothing native), so that it works in any
 * terminal emulator, in tmux and over ssh. {@link #enter} switches to the alternate screen and hides the cursor;
 * each {@link #draw} homes the cursor and overwrites the previous frame line by line, clearing what is left of it;
 * {@link #close} shows the cursor and leaves the alternate screen, giving back the screen as it was. When the JVM
 * is stopped meanwhile (Ctrl-C), a shutdown hook does the same.
 */
public final class TerminalScreen implements AutoCloseable {

    private static final String CSI = "\u001b[";
    /** Switch to the alternate screen, hide the cursor. */
    public static final String ENTER = CSI + "?1049h" + CSI + "?25l";
    /** Show the cursor, leave the alternate screen. */
    public static final String LEAVE = CSI + "?25h" + CSI + "?1049l";
    /** Cursor to the top left corner. */
    public static final String HOME = CSI + "H";
    /** Clear to the end of the line. */
    public static final String CLEAR_LINE = CSI + "K";
    /** Clear from the cursor to the end of the screen. */
    public static final String CLEAR_BELOW = CSI + "J";

    private final PrintWriter out;
    private final Thread atExit = new Thread(this::restore, "rulemux-watch-restore");
    private boolean open = true;

    private TerminalScreen(PrintWriter out) {
        this.out = out;
    }

    /** Takes over the terminal {@code out} writes to, until {@link #close}. */
    public static TerminalScreen enter(PrintWriter out) {
        TerminalScreen screen = new TerminalScreen(out);
        Runtime.getRuntime().addShutdownHook(screen.atExit);
        out.print(ENTER);
        out.flush();
        return screen;
    }

    /**
     * What redraws {@code lines} (at most the terminal's height, none wider than {@code columns}) over the
     * frame on screen. A line that fills the width is not followed by clear-to-end-of-line: the cursor then
     * waits on its last cell, which many terminals would clear.
     */
    public static String frame(List<String> lines, int columns) {
        StringBuilder b = new StringBuilder(HOME);
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            b.append(line);
            if (Cells.visibleWidth(line) < columns) {
                b.append(CLEAR_LINE);
            }
            if (i < lines.size() - 1) {
                b.append("\r\n"); // none after the last line: the screen would scroll
            }
        }
        return b.append(CLEAR_BELOW).toString();
    }

    /** Writes {@code frame} (from {@link #frame}); nothing once closed. */
    public synchronized void draw(String frame) {
        if (open) {
            out.print(frame);
            out.flush();
        }
    }

    @Override
    public void close() {
        restore();
        try {
            Runtime.getRuntime().removeShutdownHook(atExit);
        } catch (IllegalStateException shuttingDown) {
            // the hook runs or has run: nothing to remove
        }
    }

    private synchronized void restore() {
        if (open) {
            open = false;
            out.print(LEAVE);
            out.flush();
        }
    }
}
