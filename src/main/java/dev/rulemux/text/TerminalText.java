package dev.rulemux.text;

/**
 * Text made safe to print to a terminal or to write to a log read in one. Agents write task titles, report notes
 * and handoff notes; printed raw, an {@code ESC ] 52} sequence would set the operator's clipboard, a CSI sequence
 * would move the cursor or clear the screen, a bidi override would make a line read other than it is. Every such
 * character is replaced by a visible escape: the C0 controls (but line feed and tab where lines are allowed) and
 * DEL as {@code \x1b}, {@code \x07}, {@code \r} ({@code \n} on one line), the C1 controls U+0080–U+009F (the 8-bit
 * CSI U+009B and OSC U+009D among them) and the bidi embeddings, overrides and isolates (U+202A–U+202E,
 * U+2066–U+2069) as {@code \u009b}. Everything else, other scripts and emoji included, is kept as it is.
 */
public final class TerminalText {

    private TerminalText() {
    }

    /** {@code text} with its line breaks and tabs kept, every other control shown as an escape; "" for null. */
    public static String safe(String text) {
        return escape(text, false);
    }

    /** {@code text} on one line: as {@link #safe}, and a line feed shown as {@code \n}; "" for null. */
    public static String line(String text) {
        return escape(text, true);
    }

    /**
     * Whether {@code cp} must never reach a terminal as it is: a C0 control, DEL, a C1 control or a bidi
     * embedding, override or isolate (line feed and tab included: callers that allow them check first).
     */
    public static boolean unsafe(int cp) {
        return cp < 0x20 || cp >= 0x7F && cp <= 0x9F || cp >= 0x202A && cp <= 0x202E || cp >= 0x2066 && cp <= 0x2069;
    }

    private static String escape(String text, boolean oneLine) {
        if (text == null) {
            return "";
        }
        int i = 0;
        while (i < text.length() && !needsEscape(text.charAt(i), oneLine)) {
            i++;
        }
        if (i == text.length()) {
            return text;
        }
        StringBuilder b = new StringBuilder(text.length() + 16).append(text, 0, i);
        for (; i < text.length(); i++) {
            char c = text.charAt(i);
            if (!needsEscape(c, oneLine)) {
                b.append(c);
            } else if (c == '\n') {
                b.append("\\n");
            } else if (c == '\r') {
                b.append("\\r");
            } else if (c < 0x80) {
                b.append(String.format("\\x%02x", (int) c));
            } else {
                b.append(String.format("\\u%04x", (int) c));
            }
        }
        return b.toString();
    }

    private static boolean needsEscape(char c, boolean oneLine) {
        if (c == '\t' || c == '\n' && !oneLine) {
            return false;
        }
        return unsafe(c);
    }
}
