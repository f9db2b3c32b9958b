package dev.rulemux.dashboard;

import dev.rulemux.text.TerminalText;
import java.util.regex.Pattern;

/**
 * Text measured in terminal cells. A code point takes one cell, or two for the East Asian wide and emoji ranges;
 * erring on the wide side is safe, since a line is then at worst a little shorter than the terminal. Control
 * characters never reach the terminal: line breaks and tabs become spaces, the others (escape included) and the bidi
 * overrides go ({@link TerminalText#unsafe}).
 */
final class Cells {

    private static final Pattern SGR = Pattern.compile("\u001b\\[[0-9;]*m");
    private static final Pattern BREAKS = Pattern.compile("\\s*\\R\\s*");

    private Cells() {
    }

    /** {@code text} on one line, without control characters. */
    static String clean(String text) {
        if (text == null) {
            return "";
        }
        String oneLine = BREAKS.matcher(text).replaceAll(" ");
        StringBuilder b = new StringBuilder(oneLine.length());
        oneLine.codePoints().forEach(cp -> {
            if (cp == '\t') {
                b.append(' ');
            } else if (!TerminalText.unsafe(cp)) {
                b.appendCodePoint(cp);
            }
        });
        return b.toString();
    }

    /** The cells {@code text} (clean) takes. */
    static int width(String text) {
        return text.codePoints().map(Cells::width).sum();
    }

    /** The cells a line of the frame takes on screen: its colour codes take none. */
    static int visibleWidth(String line) {
        return width(SGR.matcher(line).replaceAll(""));
    }

    /** The longest start of {@code text} (clean) that fits in {@code cells}. */
    static String clip(String text, int cells) {
        int used = 0;
        int end = 0;
        while (end < text.length()) {
            int cp = text.codePointAt(end);
            used += width(cp);
            if (used > cells) {
                break;
            }
            end += Character.charCount(cp);
        }
        return text.substring(0, end);
    }

    static int width(int cp) {
        return wide(cp) ? 2 : 1;
    }

    private static boolean wide(int cp) {
        return cp >= 0x1100 && cp <= 0x115F // Hangul Jamo
                || cp >= 0x2E80 && cp <= 0xA4CF && cp != 0x303F // CJK, Kana, Yi
                || cp >= 0xAC00 && cp <= 0xD7A3 // Hangul syllables
                || cp >= 0xF900 && cp <= 0xFAFF // CJK compatibility ideographs
                || cp >= 0xFE30 && cp <= 0xFE4F // CJK compatibility forms
                || cp >= 0xFF00 && cp <= 0xFF60 || cp >= 0xFFE0 && cp <= 0xFFE6 // fullwidth forms
                || cp >= 0x1F300 && cp <= 0x1F64F || cp >= 0x1F900 && cp <= 0x1F9FF // emoji
                || cp >= 0x20000 && cp <= 0x3FFFD; // CJK extensions
    }
}
