package dev.rulemux.loop;

import static dev.rulemux.ConfigDirs.TWO_SHELLS;
import static dev.rulemux.ConfigDirs.write;
import static org.assertj.core.api.Assertions.assertThat;

import dev.rulemux.ConfigDirs;
import dev.rulemux.board.MemoryTaskBoard;
import dev.rulemux.board.TaskBoard;
import dev.rulemux.board.TaskRecord;
import dev.rulemux.config.Config;
import dev.rulemux.config.ConfigLoader;
import dev.rulemux.config.TaskSpecs;
import dev.rulemux.domain.TaskState;
import dev.rulemux.tmux.PrivateTmux;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The verify commands of verifying tasks, and what happens when their results cannot be recorded. */
class VerifierTest {

    @TempDir
    Path dir;

    /** {@code board}, except that recording a verification result always throws. */
    static TaskBoard failingToRecord(TaskBoard board, AtomicInteger tries) {
        return (TaskBoard) Proxy.newProxyInstance(TaskBoard.class.getClassLoader(), new Class<?>[] {TaskBoard.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("verified")) {
                        tries.incrementAndGet();
                        throw new IllegalStateException("disk I/O error");
                    }
                    try {
                        return method.invoke(board, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    @Test
    void givenRecordingAResultThrowsWhenTicksGoOnThenTheVerifyIsRunAgainAndAfterThreeFailedRecordingsTheTaskFailsWithTheReason() {
        write(dir, "agents.yaml", TWO_SHELLS);
        Config config = ConfigLoader.load(ConfigDirs.sources(dir));
        MemoryTaskBoard memory = new MemoryTaskBoard(List.of(TaskSpecs.verified("t1")), Clock.systemUTC());
        memory.delivered("t1", "beta", System.currentTimeMillis(), null);
        memory.move("t1", TaskState.VERIFYING, "beta", "beta finished its turn");
        AtomicInteger tries = new AtomicInteger();
        TaskBoard board = failingToRecord(memory, tries);
        StringWriter console = new StringWriter();
        EventLog log = new EventLog(dir.resolve("logs"), new PrintWriter(console, true), false, Clock.systemUTC());

        try (Verifier verifier = new Verifier(board, log, java.time.Clock.systemUTC())) {
            // each tick starts what is due, as the loop does
            PrivateTmux.await(dev.rulemux.Eventually.GENEROUS, "t1 to leave VERIFYING", () -> {
                verifier.startDue(config, board.records(), Duration.ofSeconds(30));
                return board.record("t1").orElseThrow().state() != TaskState.VERIFYING;
            });
        }

        // the task is marked failed first, then the alert is logged (by the verifier's thread)
        PrivateTmux.await(Duration.ofSeconds(10), "the alert", () -> console.toString().contains("ALERT"));
        TaskRecord t1 = memory.record("t1").orElseThrow();
        assertThat(t1.state()).isEqualTo(TaskState.FAILED);
        assertThat(t1.note()).contains("could not be recorded", "3 times", "disk I/O error");
        assertThat(tries).hasValue(Verifier.MAX_RECORD_FAILURES);
        assertThat(console.toString()).contains("ALERT");
    }

    @Test
    void givenAVerifyCommandThatLeavesAChildRunningWhenItFinishesThenTheChildIsEndedToo() throws Exception {
        Path pid = dir.resolve("child.pid");
        // the child lets go of the command's output, as a server started by a test script does
        String command = "bash -c 'sleep 300 >/dev/null 2>&1 & echo $! > " + pid + "; exit 0'";

        dev.rulemux.domain.Verification v = Verifier.run("t1", 1, command, dir, Duration.ofSeconds(30));

        assertThat(v.passed()).as(v.outputTail()).isTrue();
        long child = Long.parseLong(java.nio.file.Files.readString(pid).strip());
        PrivateTmux.await(dev.rulemux.Eventually.GENEROUS, "the child to be ended",
                () -> ProcessHandle.of(child).map(h -> !h.isAlive()).orElse(true));
    }
}
