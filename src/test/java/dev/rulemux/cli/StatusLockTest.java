package dev.rulemux.cli;

import static dev.rulemux.ConfigDirs.TWO_SHELLS;
import static dev.rulemux.ConfigDirs.write;
import static org.assertj.core.api.Assertions.assertThat;

import dev.rulemux.config.TaskSpecs;
import dev.rulemux.domain.Report;
import dev.rulemux.domain.Tier;
import dev.rulemux.store.StateStore;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Waiting for another process's lock on ORCHESTRATION_STATUS.md has an end. */
class StatusLockTest {

    @TempDir
    Path dir;

    /** A Java program that takes the lock (as rulemux does, an fcntl lock), says so, and holds it for ten minutes. */
    static final String HOLDER = """
            import java.nio.channels.FileChannel;
            import java.nio.file.Path;
            import java.nio.file.StandardOpenOption;
            public class HoldLock {
                public static void main(String[] args) throws Exception {
                    try (FileChannel c = FileChannel.open(Path.of(args[0]), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                         var lock = c.lock()) {
                        System.out.println("locked");
                        System.out.flush();
                        Thread.sleep(600_000);
                    }
                }
            }
            """;

    @Test
    void givenAnotherProcessHoldsTheStatusLockWhenAnAgentReportsDoneThenTheReportIsRecordedAndTheCommandEndsWithin5sSayingWhy()
            throws Exception {
        write(dir, "agents.yaml", TWO_SHELLS);
        try (StateStore store = StateStore.open(dir)) {
            store.add(TaskSpecs.task("t1", Tier.LOW), "tasks.yaml");
        }
        Path source = dir.resolve("HoldLock.java");
        Files.writeString(source, HOLDER);
        Files.createDirectories(dir.resolve(".rulemux"));
        String java = ProcessHandle.current().info().command().orElse("java");
        Process holder = new ProcessBuilder(java, source.toString(), dir.resolve(".rulemux/status.lock").toString())
                .redirectErrorStream(true).start();
        try {
            BufferedReader said = new BufferedReader(new InputStreamReader(holder.getInputStream(), StandardCharsets.UTF_8));
            assertThat(said.readLine()).isEqualTo("locked");

            CompletableFuture<Cli> report = CompletableFuture.supplyAsync(
                    () -> Cli.runAs("beta", "report", "done", "t1", "--note", "all green", "--config", dir.toString()));
            // the lock is held for ten minutes: without its own bound (5 s, said below) the report would wait for it
            Cli r = report.get(120, TimeUnit.SECONDS);

            assertThat(r.exit()).as("the report itself was recorded: " + r.err()).isZero();
            assertThat(r.err()).contains("ORCHESTRATION_STATUS.md was not rewritten", "status.lock", "5000 ms");
            try (StateStore store = StateStore.open(dir)) {
                assertThat(store.reports()).extracting(Report::task).isEqualTo(List.of("t1"));
            }
        } finally {
            holder.destroyForcibly();
            holder.waitFor(10, TimeUnit.SECONDS);
        }
    }
}
