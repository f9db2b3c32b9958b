package dev.rulemux.sim;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** How the mock reads the user's prompt out of a Messages request, as the Claude Code versions send it. */
class AnthropicDialectTest {

    @Test
    void givenAPasteClaudeCodeCollapsedAndWrapped_whenTheMockReadsThePrompt_thenItIsTheTextAsPasted() {
        String pasted = "line one with \"quotes\" and $(date)\nline two `x`\n\n  indented «ünïcode» \\ end";
        String sent = "\n<pasted_content id=\"4c47\">\n" + pasted + "\n</pasted_content id=\"4c47\">\n";

        assertThat(AnthropicDialect.unwrapPastes(sent)).isEqualTo(pasted);
    }

    @Test
    void givenTypedTextAroundTwoPastes_whenTheMockReadsThePrompt_thenEachWrapperIsReplacedByWhatItHolds() {
        String sent = "see\n<pasted_content id=\"a1\">\nfirst\nblock\n</pasted_content id=\"a1\">\nand"
                + "\n<pasted_content id=\"b2\">\nsecond $1 \\1\n</pasted_content id=\"b2\">\n";

        assertThat(AnthropicDialect.unwrapPastes(sent)).isEqualTo("seefirst\nblockandsecond $1 \\1");
    }

    @Test
    void givenTextThatOnlyMentionsTheTagOrHasUnmatchedIds_whenTheMockReadsThePrompt_thenItIsLeftAlone() {
        String mention = "explain <pasted_content id=\"x\"> tags";
        String mismatched = "\n<pasted_content id=\"a\">\nbody\n</pasted_content id=\"b\">\n";

        assertThat(AnthropicDialect.unwrapPastes(mention)).isEqualTo(mention);
        assertThat(AnthropicDialect.unwrapPastes(mismatched)).isEqualTo(mismatched);
        assertThat(AnthropicDialect.unwrapPastes("plain prompt")).isEqualTo("plain prompt");
    }
}
