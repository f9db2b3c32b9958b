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
    void a_run_waits_a_tick_before_each_piece_or_keep_alive_and_flags_the_last_piece() throws IOException {
        // given a clock that only records the waits
        List<String> events = new ArrayList<>();
        long[] waited = {0};

        // when a second of work is paced
        Pacer.run(Duration.ofMillis(1000), Script.Pace.END, List.of("x ", "y"),
                (piece, last) -> events.add(piece + (last ? "|last" : "")),
                () -> events.add("keep-alive"),
                millis -> {
                    waited[0] += millis;
                    events.add("wait " + millis);
                });

        // then five ticks of 200 ms, each waited out before it is sent; the text over the last (here: all five)
        // ticks, a keep-alive on a tick without a piece
        assertThat(events).containsExactly(
                "wait 200", "keep-alive",
                "wait 200", "keep-alive",
                "wait 200", "x ",
                "wait 200", "keep-alive",
                "wait 200", "y|last");
        assertThat(waited[0]).as("the whole run waits the work time").isEqualTo(1000);
    }

    @Test
    void a_run_shorter_than_a_tick_waits_it_all_at_once() throws IOException {
        // given
        List<String> events = new ArrayList<>();

        // when
        Pacer.run(Duration.ofMillis(50), Script.Pace.EVEN, List.of("a ", "b"),
                (piece, last) -> events.add(piece + (last ? "|last" : "")),
                () -> events.add("keep-alive"),
                millis -> events.add("wait " + millis));

        // then
        assertThat(events).containsExactly("wait 50", "a b|last");
    }

    @Test
    void an_odd_work_time_is_split_into_equal_ticks() throws IOException {
        // given
        List<Long> waits = new ArrayList<>();

        // when 1,100 ms at an even pace: five ticks of 220 ms
        Pacer.run(Duration.ofMillis(1100), Script.Pace.EVEN, List.of("a"), (piece, last) -> { }, () -> { },
                waits::add);

        // then
        assertThat(waits).containsExactly(220L, 220L, 220L, 220L, 220L);
    }
}
