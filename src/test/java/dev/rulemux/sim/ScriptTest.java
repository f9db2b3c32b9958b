package dev.rulemux.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class ScriptTest {

    @Test
    void a_prompt_without_a_directive_gets_the_default_quick_reply() {
        // given
        String prompt = "fix the flaky test in the parser";

        // when
        Script script = Script.parse(prompt);

        // then
        assertThat(script).isEqualTo(Script.DEFAULT);
        assertThat(script.work()).isEqualTo(Duration.ofMillis(300));
        assertThat(script.tokens()).isEqualTo(1200);
        assertThat(script.fails()).isFalse();
        assertThat(script.tool()).isEmpty();
    }

    @Test
    void work_and_tokens_are_read_with_their_units() {
        // given
        String prompt = "review this [mock work=5s tokens=960000] please";

        // when
        Script script = Script.parse(prompt);

        // then
        assertThat(script.directive()).isEqualTo("[mock work=5s tokens=960000]");
        assertThat(script.work()).isEqualTo(Duration.ofSeconds(5));
        assertThat(script.tokens()).isEqualTo(960_000);
    }

    @Test
    void durations_take_ms_s_m_and_counts_take_k_and_m() {
        assertThat(Script.parse("[mock work=800ms]").work()).isEqualTo(Duration.ofMillis(800));
        assertThat(Script.parse("[mock work=1.5s]").work()).isEqualTo(Duration.ofMillis(1500));
        assertThat(Script.parse("[mock work=2m]").work()).isEqualTo(Duration.ofMinutes(2));
        assertThat(Script.parse("[mock tokens=960k]").tokens()).isEqualTo(960_000);
        assertThat(Script.parse("[mock tokens=1m]").tokens()).isEqualTo(1_000_000);
        assertThat(Script.parse("[mock tokens=253_400]").tokens()).isEqualTo(253_400);
    }

    @Test
    void a_shell_tool_call_has_a_default_command_that_every_cli_asks_about() {
        // when
        Script plain = Script.parse("[mock tool=shell]");
        Script quoted = Script.parse("[mock tool=shell cmd=\"ls -la /tmp\"]");
        Script word = Script.parse("[mock tool=shell cmd=pwd]");

        // then
        assertThat(plain.tool()).contains("shell");
        assertThat(plain.cmd()).isEqualTo("touch mock-tool.txt");
        assertThat(quoted.cmd()).isEqualTo("ls -la /tmp");
        assertThat(word.cmd()).isEqualTo("pwd");
    }

    @Test
    void status_fail_and_limit_make_a_failing_script() {
        // when
        Script status = Script.parse("[mock status=503 retry=3s]");
        Script failTwice = Script.parse("[mock fail=2]");
        Script limit = Script.parse("[mock limit=usage]");

        // then
        assertThat(status.status()).hasValue(503);
        assertThat(status.fail()).isZero();
        assertThat(status.retryAfter()).isEqualTo(Duration.ofSeconds(3));
        assertThat(failTwice.status()).as("fail=N alone means 429").hasValue(429);
        assertThat(failTwice.fail()).isEqualTo(2);
        assertThat(limit.limit()).contains("usage");
        assertThat(limit.status()).isEmpty();
        assertThat(limit.fails()).isTrue();
    }

    @Test
    void reply_takes_the_rest_of_the_directive_verbatim() {
        // when
        Script script = Script.parse("go [mock work=1s reply=All good: 3 files, no = signs harmed] now");

        // then
        assertThat(script.reply()).contains("All good: 3 files, no = signs harmed");
        assertThat(script.work()).isEqualTo(Duration.ofSeconds(1));
    }

    @Test
    void pace_and_lines_shape_a_long_streamed_reply() {
        // when
        Script script = Script.parse("[mock work=20s pace=even lines=3]");

        // then
        assertThat(script.pace()).isEqualTo(Script.Pace.EVEN);
        assertThat(script.lines()).isEqualTo(3);
        assertThat(script.replyText("Done.")).isEqualTo("""
                Done.

                1. Line 1 of 3 of the mock model's reply.
                2. Line 2 of 3 of the mock model's reply.
                3. Line 3 of 3 of the mock model's reply.""");
        assertThat(Script.DEFAULT.pace()).isEqualTo(Script.Pace.END);
        assertThat(Script.parse("[mock reply=Hi there]").replyText("Done.")).isEqualTo("Hi there");
        assertThatThrownBy(() -> Script.parse("[mock pace=fast]")).hasMessageContaining("fast");
        assertThatThrownBy(() -> Script.parse("[mock lines=many]")).hasMessageContaining("many");
    }

    @Test
    void unknown_keys_are_kept_and_otherwise_ignored() {
        // when
        Script script = Script.parse("[mock flavour=vanilla tokens=5000]");

        // then
        assertThat(script.options()).containsEntry("flavour", "vanilla").containsEntry("tokens", "5000");
        assertThat(script.tokens()).isEqualTo(5000);
    }

    @Test
    void only_the_first_directive_counts() {
        assertThat(Script.parse("[mock tokens=10] and [mock tokens=20]").tokens()).isEqualTo(10);
    }

    @Test
    void an_empty_directive_is_a_directive_with_defaults() {
        // when
        Script script = Script.parse("[mock]");

        // then
        assertThat(script.directive()).isEqualTo("[mock]");
        assertThat(script.work()).isEqualTo(Script.DEFAULT_WORK);
    }

    @Test
    void a_malformed_value_is_refused() {
        assertThatThrownBy(() -> Script.parse("[mock work=soon]")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("soon");
    }

    @Test
    void the_directive_is_cut_out_for_echoing() {
        assertThat(Script.withoutDirective("fix it [mock work=2s] today")).isEqualTo("fix it  today");
    }
}
