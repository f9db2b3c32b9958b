package dev.rulemux.proc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rulemux.tmux.PrivateTmux;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Running a program: every output has a cap, every process it leaves behind is ended. */
class ExecTest {

    @TempDir
    Path dir;

    @Test
    void givenAProgramWritingWithoutEndWhenItTimesOutThenAtMostTheLast64KiBOfItsOutputIsKept() {
        // `yes` as a verify command: hundreds of MB within the timeout
        Exec.Result r = Exec.run(List.of("yes", "y"), Duration.ofSeconds(1));

        assertThat(r.timedOut()).isTrue();
        assertThat(r.out().getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(Exec.MAX_OUTPUT_BYTES);
        assertThat(r.out()).endsWith("y\n");
    }

    @Test
    void givenAProgramWritingMoreThan64KiBWhenItEndsThenOnlyItsTailIsKept() {
        // 200,000 numbered lines (~1.3 MB), then a last line
        Exec.Result r = Exec.run(List.of("bash", "-c", "seq 1 200000; echo the-end"), Duration.ofSeconds(30));

        assertThat(r.ok()).isTrue();
        assertThat(r.out().getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(Exec.MAX_OUTPUT_BYTES);
        assertThat(r.out()).endsWith("200000\nthe-end\n").doesNotContain("\n1\n2\n3\n");
    }

    @Test
    void givenAProgramWhoseChildKeepsItsOutputOpenWhenItTimesOutThenBothAreEndedAndTheCallReturns() throws Exception {
        Path pid = dir.resolve("child.pid");
        // the child would keep the output open for 300 s: the call returning well before shows it was not waited for
        Exec.Result r = java.util.concurrent.CompletableFuture.supplyAsync(() -> Exec.run(
                        List.of("bash", "-c", "sleep 300 & echo $! > " + pid + "; wait"), Duration.ofSeconds(1)))
                .get(120, java.util.concurrent.TimeUnit.SECONDS);

        assertThat(r.timedOut()).isTrue();
        long child = Long.parseLong(Files.readString(pid).strip());
        PrivateTmux.await(dev.rulemux.Eventually.GENEROUS, "the child to be ended",
                () -> ProcessHandle.of(child).map(h -> !h.isAlive()).orElse(true));
    }
}
