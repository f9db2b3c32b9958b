package dev.rulemux.sim;

import static org.junit.jupiter.api.Assertions.fail;

import dev.rulemux.tmux.Tmux;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Assumptions;

/**
 * What every {@code realcli} test checks first: tmux and the pinned agent CLIs (scripts/install-clis) are
 * there. Without them the test is skipped with the reason, unless {@value #REQUIRE_ENV}{@code =1} is set (CI
 * sets it, having installed them): then it fails, so that a broken install cannot pass as a green build.
 */
public final class RealCliTests {

    public static final String REQUIRE_ENV = "RULEMUX_REQUIRE_REAL_CLIS";

    private RealCliTests() {
    }

    /** The installed CLIs; skips or fails the calling test (see the class comment) when they or tmux are missing. */
    public static RealClis require(String what) {
        boolean required = required(System.getenv());
        check(required, Tmux.version().isPresent(), "tmux is not installed", what);
        Optional<RealClis> located = RealClis.locate();
        check(required, located.isPresent(), "the agent CLIs are not installed (run scripts/install-clis or set "
                + RealClis.DIR_ENV + ")", what);
        return located.orElseThrow();
    }

    static boolean required(Map<String, String> env) {
        return "1".equals(env.getOrDefault(REQUIRE_ENV, "").strip());
    }

    /** Nothing when {@code present}; else skips the test, or fails it when {@code required}. */
    static void check(boolean required, boolean present, String missing, String what) {
        if (present) {
            return;
        }
        if (required) {
            fail(missing + ", and " + REQUIRE_ENV + "=1 requires them: " + what + " cannot run");
        }
        Assumptions.abort(missing + ": skipping " + what);
    }
}
