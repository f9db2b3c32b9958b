package dev.rulemux.text;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What agents wrote, made inert before it reaches a terminal or a log. */
class TerminalTextTest {

    /** An OSC 52 clipboard write, a cursor move and a screen clear, an 8-bit CSI and OSC, a bidi override. */
    static final String HOSTILE = "fix \u001b]52;c;cm0gLXJmIH4=\u0007 then \u001b[2J\u001b[H\u001b[10A \u009b31m \u009d0;x\u009c"
            + " \u202egnp.exe\u202c end";

    /** Whether {@code s} holds a character a terminal would act on (line feed and tab aside). */
    static boolean hasRawControl(String s) {
        return s.codePoints().anyMatch(cp -> cp != '\n' && cp != '\t' && TerminalText.unsafe(cp));
    }

    @Test
    void givenEscapeSequencesWhenMadeSafeThenEveryControlIsShownAsAVisibleEscape() {
        String safe = TerminalText.safe(HOSTILE);

        assertThat(hasRawControl(safe)).isFalse();
        assertThat(safe).isEqualTo("fix \\x1b]52;c;cm0gLXJmIH4=\\x07 then \\x1b[2J\\x1b[H\\x1b[10A \\u009b31m \\u009d0;x\\u009c"
                + " \\u202egnp.exe\\u202c end");
    }

    @Test
    void givenLineBreaksAndTabsWhenMadeSafeThenTheyAreKeptButACarriageReturnIsShown() {
        assertThat(TerminalText.safe("a\tb\nc\r\nd")).isEqualTo("a\tb\nc\\r\nd");
    }

    @Test
    void givenLineBreaksWhenMadeSafeOnOneLineThenTheyAreShownAsEscapes() {
        assertThat(TerminalText.line("a\tb\nc\r\nd\u0008")).isEqualTo("a\tb\\nc\\r\\nd\\x08");
    }

    @Test
    void givenDelAndEveryC0AndC1ControlWhenMadeSafeThenNoneIsLeft() {
        StringBuilder all = new StringBuilder();
        for (char c = 0; c <= 0x9F; c++) {
            if (c < 0x20 || c >= 0x7F) {
                all.append(c);
            }
        }
        for (char c = 0x202A; c <= 0x202E; c++) {
            all.append(c);
        }
        for (char c = 0x2066; c <= 0x2069; c++) {
            all.append(c);
        }

        assertThat(hasRawControl(TerminalText.line(all.toString()))).isFalse();
        assertThat(TerminalText.line(all.toString())).doesNotContain("\n").contains("\\x1b", "\\x7f", "\\u009b", "\\u2066");
    }

    @Test
    void givenOrdinaryTextOfAnyScriptWhenMadeSafeThenItIsUnchanged() {
        String text = "Résumé: 修复登录 — ⠼ Working… 🚀 שלום (a\\x1b literal stays literal)";

        assertThat(TerminalText.safe(text)).isSameAs(text);
        assertThat(TerminalText.line(text)).isSameAs(text);
        assertThat(TerminalText.safe(null)).isEmpty();
    }

    @Test
    void givenJsonOfHostileTextWhenWrittenWithTheEscapesThenNoRawControlIsLeftAndItReadsBackTheSame() throws Exception {
        ObjectMapper mapper = JsonEscapes.applyTo(new ObjectMapper());

        String json = mapper.writeValueAsString(Map.of("title", HOSTILE + "\u007f"));

        assertThat(hasRawControl(json)).isFalse();
        assertThat(json).contains("\\u001B]52", "\\u009b31m", "\\u202e", "\\u007F");
        assertThat(mapper.readTree(json).get("title").asText()).isEqualTo(HOSTILE + "\u007f");
    }
}
