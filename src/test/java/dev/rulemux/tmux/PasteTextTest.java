package dev.rulemux.tmux;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PasteTextTest {

    @Test
    void printableTextTabsNewlinesAndUnicodePassUnchanged() {
        String text = "quotes ' \" `back` $(rm -rf /) ; Enter C-c\ttab\nnext line é ✓ 日本";
        assertThat(PasteText.clean(text)).isEqualTo(text);
    }

    @Test
    void escapeAndControlBytesAreRemovedSoTheTextCannotEndABracketedPaste() {
        assertThat(PasteText.clean("a\u001b[201~b\u0003c\u0007d\u007fe\u009bf\u0000g")).isEqualTo("a[201~bcdefg");
    }

    @Test
    void aTrailingBackslashIsFollowedByASpaceSoTheSubmitKeyIsNotALineContinuation() {
        assertThat(PasteText.clean("ends with \\")).isEqualTo("ends with \\ ");
        assertThat(PasteText.clean("ends with \\\n")).isEqualTo("ends with \\ ");
        assertThat(PasteText.clean("a \\ inside")).isEqualTo("a \\ inside");
    }

    @Test
    void carriageReturnsBecomeNewlinesAndTrailingNewlinesAreDropped() {
        assertThat(PasteText.clean("one\r\ntwo\rthree\n\n")).isEqualTo("one\ntwo\nthree");
    }
}
