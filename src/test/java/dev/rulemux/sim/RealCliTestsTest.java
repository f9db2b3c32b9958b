package dev.rulemux.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.opentest4j.AssertionFailedError;
import org.opentest4j.TestAbortedException;

class RealCliTestsTest {

    @Test
    void missing_clis_skip_the_test_with_the_reason() {
        assertThatThrownBy(() -> RealCliTests.check(false, false, "the agent CLIs are not installed", "the smoke test"))
                .isInstanceOf(TestAbortedException.class)
                .hasMessageContaining("the agent CLIs are not installed: skipping the smoke test");
    }

    @Test
    void missing_clis_fail_the_test_when_they_are_required() {
        assertThatThrownBy(() -> RealCliTests.check(true, false, "tmux is not installed", "the smoke test"))
                .isInstanceOf(AssertionFailedError.class)
                .hasMessageContaining("tmux is not installed")
                .hasMessageContaining("RULEMUX_REQUIRE_REAL_CLIS=1");
    }

    @Test
    void present_clis_let_the_test_run_either_way() {
        RealCliTests.check(true, true, "unused", "the smoke test");
        RealCliTests.check(false, true, "unused", "the smoke test");
    }

    @Test
    void only_the_value_1_requires_them() {
        assertThat(RealCliTests.required(Map.of("RULEMUX_REQUIRE_REAL_CLIS", "1"))).isTrue();
        assertThat(RealCliTests.required(Map.of("RULEMUX_REQUIRE_REAL_CLIS", "0"))).isFalse();
        assertThat(RealCliTests.required(Map.of())).isFalse();
    }
}
