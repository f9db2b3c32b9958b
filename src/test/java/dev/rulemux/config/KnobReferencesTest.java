package dev.rulemux.config;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rulemux.ConfigDirs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Which policy knobs a DRL file reads, found in its text. */
class KnobReferencesTest {

    @Test
    void givenKnobsReadThroughABoundPolicyAndInsideAPolicyPattern_thenEachIsFoundWithItsLineReaderAndRule() {
        String drl = """
                package rulemux.policy;

                rule "One"
                when
                    $p : Policy( $a : agent )
                    Activity( agent == $a, msSinceKeys >= $p.millis("dialog_retry_after"), n < $p.count("max_crashes") )
                then
                    insert(new Marker($p.percent("handoff_at")));
                end

                rule "Two"
                when
                    Policy( agent == "x", $after : millis("tier_up_after") )
                then
                end
                """;

        assertThat(KnobReferences.in(drl)).containsExactly(
                new KnobReferences.Reference("dialog_retry_after", "millis", 6, "One"),
                new KnobReferences.Reference("max_crashes", "count", 6, "One"),
                new KnobReferences.Reference("handoff_at", "percent", 8, "One"),
                new KnobReferences.Reference("tier_up_after", "millis", 13, "Two"));
    }

    @Test
    void givenCommentsAndReadersOnOtherFacts_thenNothingIsFound() {
        String drl = """
                rule "Other facts"
                when
                    // $p.millis("in_a_line_comment")
                    /* Policy( millis("in_a_block_comment") ) */
                    $p : Policy( $a : agent )
                    $s : Screen( )
                    Number() from $s.count("not_a_knob")
                    Other( text("not_a_knob_either") )
                then
                    System.out.println("$p.millis(\\"in_a_string\\")");
                end
                """;

        assertThat(KnobReferences.in(drl)).isEmpty();
    }

    @Test
    void theShippedRulesReadOnlyKnobsTheShippedPolicyDefines() throws Exception {
        Config config = ConfigLoader.load(ConfigDirs.sources(ConfigDirs.REPO));
        List<KnobReferences.Reference> refs;
        try (Stream<Path> files = Files.list(ConfigDirs.REPO.resolve("rules"))) {
            refs = files.filter(f -> f.toString().endsWith(".drl")).sorted().flatMap(f -> {
                try {
                    return KnobReferences.in(Files.readString(f)).stream();
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }).toList();
        }

        assertThat(refs).hasSizeGreaterThan(30);
        assertThat(refs).allSatisfy(r -> assertThat(config.policy().values()).as(r.toString()).containsKey(r.knob()));
    }
}
