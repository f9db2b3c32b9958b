package dev.rulemux.proc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rulemux.tmux.PrivateTmux;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Ending processes with what they started, and finding the processes a directory's programs run as. */
class ProcessTreesTest {

    @TempDir
    Path dir;

    private final List<Process> started = new java.util.ArrayList<>();

    @AfterEach
    void cleanUp() {
        started.forEach(p -> p.descendants().forEach(ProcessHandle::destroyForcibly));
        started.forEach(Process::destroyForcibly);
    }

    /** bash that starts {@code child} in the background, writes its pid to a file, and waits; returns the child's pid. */
    private long parentWithChild(String child, Path pidFile) throws Exception {
        Process parent = new ProcessBuilder("bash", "-c", child + " & echo $! > " + pidFile + "; wait").start();
        started.add(parent);
        PrivateTmux.await(Duration.ofSeconds(10), "the child's pid", () -> pid(pidFile) > 0);
        return pid(pidFile);
    }

    private static long pid(Path file) {
        try {
            String text = Files.readString(file).strip();
            return text.matches("\\d+") ? Long.parseLong(text) : -1;
        } catch (java.io.IOException e) {
            return -1;
        }
    }

    private static void awaitGone(long pid) {
        PrivateTmux.await(Duration.ofSeconds(10), "process " + pid + " to be ended",
                () -> ProcessHandle.of(pid).map(h -> !h.isAlive()).orElse(true));
    }

    @Test
    void givenAProgramWithAChildWhenItsTreeIsEndedThenBothAreGone() throws Exception {
        long child = parentWithChild("sleep 300", dir.resolve("child.pid"));
        Process parent = started.get(0);

        assertThat(ProcessTrees.withDescendants(List.of(parent.toHandle())))
                .extracting(ProcessHandle::pid).startsWith(parent.pid()).contains(child);
        ProcessTrees.endTrees(List.of(parent.toHandle()), Duration.ofSeconds(2));

        awaitGone(parent.pid());
        awaitGone(child);
    }

    @Test
    void givenAChildThatIgnoresSigtermWhenItsTreeIsEndedThenItIsKilledAfterTheGrace() throws Exception {
        long child = parentWithChild("bash -c 'trap \"\" TERM; while :; do sleep 1; done'", dir.resolve("child.pid"));
        Process parent = started.get(0);

        ProcessTrees.endTrees(List.of(parent.toHandle()), Duration.ofMillis(200));

        awaitGone(child);
    }

    @Test
    void givenAProgramThatMayHangWhenItIsKilledNowThenItAndItsChildAreGone() throws Exception {
        long child = parentWithChild("sleep 300", dir.resolve("child.pid"));
        Process parent = started.get(0);

        ProcessTrees.killNow(parent.toHandle());

        awaitGone(parent.pid());
        awaitGone(child);
    }

    @Test
    void givenThisJvmAmongTheProcessesWhenTheyAreEndedThenItIsLeftAlone() {
        ProcessTrees.end(List.of(ProcessHandle.current()), Duration.ofMillis(10));
        ProcessTrees.killNow(ProcessHandle.current());

        assertThat(ProcessHandle.current().isAlive()).isTrue();
    }

    @Test
    void givenAProgramRunFromADirectoryWhenTheProcessesRunningFromItAreSoughtThenItIsFoundAndOneMerelyNamingItIsNot()
            throws Exception {
        Path tools = Files.createDirectories(dir.resolve("tools"));
        Process inside = new ProcessBuilder("bash", "-c", "sleep 300; :", tools.resolve("daemon").toString()).start();
        started.add(inside);
        Process mentioning = new ProcessBuilder("bash", "-c", "sleep 300; :", "CODEX_HOME=" + tools).start();
        started.add(mentioning);
        assertThat(Files.isDirectory(Path.of("/proc"))).as("this spec reads /proc").isTrue();

        List<Long> found = ProcessTrees.runningFrom(tools).stream().map(ProcessHandle::pid).toList();

        assertThat(found).contains(inside.pid()).doesNotContain(mentioning.pid(), ProcessHandle.current().pid());
    }
}
