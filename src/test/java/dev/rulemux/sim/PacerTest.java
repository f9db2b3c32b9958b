package dev.rulemux.sim;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class PacerTest {

    @Test
    void words_keep_their_trailing_whitespace() {
        assertThat(Pacer.words("Done. You  said: hi")).containsExactly("Done. ", "You  ", "said: ", "hi");
        assertThat(String.join("", Pacer.words(" lead and trail \n"))).isEqualTo(" lead and trail \n");
    }

    @Test
    void the_text_goes_out_in_the_last_ticks_after_keep_alives() {
        // when
        List<String> slots = Pacer.spread(List.of("a ", "b ", "c"), 10);

        // then
        assertThat(slots).hasSize(10);
        assertThat(slots.subList(0, 5)).containsOnlyNulls();
        assertThat(String.join("", slots.subList(5, 10).stream().filter(s -> s != null).toList())).isEqualTo("a b c");
        assertThat(slots.get(9)).isEqualTo("c");
    }

    @Test
    void an_even_pace_spreads_the_pieces_from_the_first_tick_to_the_last() {
        // when
        List<String> few = Pacer.spreadEvenly(List.of("a ", "b ", "c"), 6);
        List<String> many = Pacer.spreadEvenly(Arrays.asList("1", "2", "3", "4", "5", "6", "7", "8"), 4);

        // then
        assertThat(few).containsExactly(null, "a ", null, "b ", null, "c");
        assertThat(many).containsExactly("12", "34", "56", "78");
    }

    @Test
    void more_pieces_than_ticks_are_joined() {
        // when
        List<String> slots = Pacer.spread(Arrays.asList("1", "2", "3", "4", "5", "6", "7"), 2);

        // then
        assertThat(slots).containsExactly("123", "4567");
    }

    @Test
    void a_run_takes_about_the_work_time_and_flags_the_last_piece() throws IOException {
        // given
        List<String> seen = new ArrayList<>();
        int[] keepAlives = {0};
        long start = System.nanoTime();

        // when
        Pacer.run(Duration.ofMillis(1000), List.of("x ", "y"), (piece, last) -> seen.add(piece + (last ? "|last" : "")),
                () -> keepAlives[0]++);

        // then
        long tookMillis = (System.nanoTime() - start) / 1_000_000;
        assertThat(tookMillis).isBetween(900L, 2500L);
        assertThat(seen).containsExactly("x ", "y|last");
        assertThat(keepAlives[0]).isEqualTo(3);
    }
}
