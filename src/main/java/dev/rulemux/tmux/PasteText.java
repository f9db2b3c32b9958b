package dev.rulemux.tmux;

/**
 * What may be typed into a pane: printable text, tabs and newlines. Control characters (ESC above all,
 * which could end a bracketed paste and make the rest of the text keystrokes), DEL and the C1 controls are
 * removed; CR and CRLF become LF; a trailing newline is dropped (it would read as an extra Enter). A text
 * ending in a backslash gets one space after it: Claude Code (like a shell) takes {@code \} then Enter for
 * "continue on a new line", which would swallow the Enter that submits and drop the backslash; the CLIs
 * trim the trailing space.
 */
public final class PasteText {

    private PasteText() {
    }

    public static String clean(String text) {
        String s = text.replace("\r\n", "\n").replace('\r', '\n');
        StringBuilder out = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\n' || c == '\t' || (c >= 0x20 && c < 0x7f) || c > 0x9f) {
                out.append(c);
            }
        }
        int end = out.length();
        while (end > 0 && out.charAt(end - 1) == '\n') {
            end--;
        }
        out.setLength(end);
        if (end > 0 && out.charAt(end - 1) == '\\') {
            out.append(' ');
        }
        return out.toString();
    }
}
