package dev.rulemux.devtools;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rulemux.sim.Script;
import dev.rulemux.tmux.PasteText;
import java.nio.charset.StandardCharsets;
import java.text.Normalizer;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The prompts of {@code rulemux bench delivery}: the mix issue 10 asks for, and nothing a CLI itself rewrites. */
class DeliveryBenchTest {

    @Test
    void givenEightPrompts_thenTheyAreShortQuotedSubstitutedBacktickedUnicodeKeyNames2KbAnd20KbMultiLine() {
        List<String> p = DeliveryBench.prompts(8);

        assertThat(p.get(0).length()).isLessThan(60);
        assertThat(p.get(1)).contains("'", "\"");
        assertThat(p.get(2)).contains("$(", "${HOME}");
        assertThat(p.get(3)).contains("`");
        assertThat(p.get(4)).contains("日本語", "🚀");
        assertThat(p.get(5)).contains(" Enter ", " C-c ", " Escape ");
        assertThat(bytes(p.get(6))).isBetween(1900, 2100);
        assertThat(p.get(6)).doesNotContain("\n");
        assertThat(bytes(p.get(7))).isBetween(19_000, 21_000);
        assertThat(p.get(7).lines().count()).isGreaterThan(300);
    }

    @Test
    void givenAHundredPrompts_thenTheKindsRepeatInTurn() {
        List<String> p = DeliveryBench.prompts(100);

        assertThat(p).hasSize(100);
        assertThat(p.get(8)).isEqualTo(p.get(0));
        assertThat(p.get(99)).isEqualTo(p.get(3));
    }

    @Test
    void givenEveryTextSent_thenNeitherRulemuxNorTheClisWouldChangeIt_soByteExactMeansDeliveredWhole() {
        for (DeliveryBench.Way way : DeliveryBench.Way.values()) {
            for (int i = 1; i <= 8; i++) {
                String text = DeliveryBench.text(way, i, DeliveryBench.prompts(8).get(i - 1));
                assertThat(PasteText.clean(text)).as("no control bytes, no trailing newline").isEqualTo(text);
                assertThat(text).as("no tab (Claude Code makes it spaces)").doesNotContain("\t");
                assertThat(text).as("no trailing blank (both CLIs trim it)").isEqualTo(text.stripTrailing());
                assertThat(Normalizer.isNormalized(text, Normalizer.Form.NFC)).as("NFC (Claude Code normalizes)").isTrue();
                assertThat(Script.parse(text).work()).as("an instant model turn").isZero();
            }
        }
    }

    @Test
    void givenAFailedSendKeys_thenTheReasonIsTmuxsMessageWithoutTheTextItCarried() {
        String message = "tmux -L s send-keys -t %0 [d naive 8] a 20 KB prompt: line 1 ...: exit 1: command too long";

        assertThat(DeliveryBench.reason(message)).isEqualTo("exit 1: command too long");
    }

    @Test
    void givenATextChangedOnTheWay_thenTheDifferenceNamesWhereWithALittleOfEach() {
        String sent = "[d rulemux 7] a 2 KB prompt: review the retry logic [mock work=0s]";

        assertThat(DeliveryBench.difference(sent, "[Pasted Content 2023 chars]"))
                .isEqualTo("from char 1 of 66: sent \"[d rulemux 7] a 2 KB …\", got \"[Pasted Content 2023 …\" of 27");
    }

    private static int bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8).length;
    }
}
