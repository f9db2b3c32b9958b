package dev.rulemux.dashboard;

import java.util.ArrayList;
import java.util.List;

/** One line of a frame: pieces of text, each with its colour (an ANSI SGR parameter such as "32") or none. */
final class Line {

    private record Span(String text, String sgr) {
    }

    private final List<Span> spans = new ArrayList<>();
    private int width;

    Line add(String text) {
        return add(text, null);
    }

    Line add(String text, String sgr) {
        String clean = Cells.clean(text);
        spans.add(new Span(clean, sgr));
        width += Cells.width(clean);
        return this;
    }

    /** Adds spaces up to {@code cells}. */
    Line padTo(int cells) {
        return width < cells ? add(" ".repeat(cells - width)) : this;
    }

    /** This line cut to {@code cells}. */
    Line cut(int cells) {
        Line cut = new Line();
        for (Span s : spans) {
            String text = Cells.clip(s.text(), cells - cut.width);
            if (text.isEmpty() && !s.text().isEmpty()) {
                break;
            }
            cut.add(text, s.sgr());
        }
        return cut;
    }

    int width() {
        return width;
    }

    /** The line cut to {@code cells}, never wider; coloured when {@code color}; no trailing spaces. */
    String render(int cells, boolean color) {
        StringBuilder b = new StringBuilder();
        int left = cells;
        for (Span s : spans) {
            if (s.text().isEmpty()) {
                continue;
            }
            String text = Cells.clip(s.text(), left);
            if (text.isEmpty()) {
                break;
            }
            left -= Cells.width(text);
            if (color && s.sgr() != null && !text.isBlank()) {
                b.append("\u001b[").append(s.sgr()).append('m').append(text).append("\u001b[0m");
            } else {
                b.append(text);
            }
        }
        int end = b.length();
        while (end > 0 && b.charAt(end - 1) == ' ') {
            end--;
        }
        return b.substring(0, end);
    }
}
