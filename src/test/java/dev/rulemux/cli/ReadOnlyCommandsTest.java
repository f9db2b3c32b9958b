package dev.rulemux.cli;

import static dev.rulemux.ConfigDirs.TWO_SHELLS;
import static dev.rulemux.ConfigDirs.write;
import static org.assertj.core.api.Assertions.assertThat;

import dev.rulemux.config.TaskSpecs;
import dev.rulemux.store.StateStore;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The commands that only read the state (status, serve, watch) never make or change it. */
class ReadOnlyCommandsTest {

    @TempDir
    Path dir;

    String config;

    @BeforeEach
    void aConfigDirectoryNoRunHasUsedYet() {
        write(dir, "agents.yaml", TWO_SHELLS);
        config = dir.toString();
    }

    @Test
    void givenNoStateWhenTheStatusIsAskedThenItShowsTheTeamAsDeclaredSaysNoRunHasRunAndMakesNoFile() {
        Cli r = Cli.run("status", "--config", config);

        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).startsWith("no rulemux run is running (none has run here yet)")
                .contains("agents (no rulemux run has looked at them yet):");
        assertThat(dir.resolve(".rulemux")).doesNotExist();
    }

    @Test
    void givenNoStateWhenTheDashboardIsServedThenItSaysThereIsNoStateYetAndMakesNoFile() throws Exception {
        // a serve that does not refuse would run until interrupted: it gets a generous while to refuse
        CompletableFuture<Cli> serving = CompletableFuture.supplyAsync(() -> Cli.run("serve", "--config", config, "--port", "0"));
        Cli r;
        try {
            r = serving.get(dev.rulemux.Eventually.GENEROUS.toSeconds(), TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            throw new AssertionError("serve did not refuse a directory without state; it serves it (and made "
                    + dir.resolve(StateStore.FILE) + ")");
        }

        assertThat(r.exit()).isEqualTo(ExitCodes.FAILURE);
        assertThat(r.err()).startsWith("error: no state yet: ");
        assertThat(dir.resolve(".rulemux")).doesNotExist();
    }

    @Test
    void givenNoStateWhenTheTeamIsWatchedThenItSaysThereIsNoStateYetAndMakesNoFile() {
        Cli r = Cli.run("watch", "--once", "--config", config);

        assertThat(r.exit()).isEqualTo(ExitCodes.FAILURE);
        assertThat(r.err()).startsWith("error: no state yet: ");
        assertThat(dir.resolve(".rulemux")).doesNotExist();
    }

    @Test
    void givenAStateWhenTheStatusIsAskedThenItIsShown() {
        try (StateStore store = StateStore.open(dir)) {
            store.add(TaskSpecs.task("t1"), "cli");
        }

        Cli r = Cli.run("status", "--config", config);

        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).contains("t1    PENDING");
    }
}
