package dev.rulemux.store;

import static dev.rulemux.ConfigDirs.TWO_SHELLS;
import static dev.rulemux.ConfigDirs.write;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import dev.rulemux.board.Journal;
import dev.rulemux.board.TaskRecord;
import dev.rulemux.config.TaskSpec;
import dev.rulemux.domain.Priority;
import dev.rulemux.domain.Report;
import dev.rulemux.domain.ReportOutcome;
import dev.rulemux.domain.TaskState;
import dev.rulemux.domain.Tier;
import dev.rulemux.proc.SelfCommand;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * One state database used by many processes at once loses nothing: twenty rulemux processes started together, half
 * adding a task and half reporting one done, while this process keeps reading and writing the same database.
 */
class StateStoreConcurrencyIT {

    static final int PROCESSES = 20;

    @TempDir
    Path dir;

    static TaskSpec task(String id) {
        return new TaskSpec(id, "Title of " + id, Tier.LOW, Priority.MEDIUM, "Do " + id + ".", null, List.of(), null, List.of(), 3, 0);
    }

    record Run(String name, Process process, Path out, Path err) {
    }

    @Test
    @Timeout(value = 600, unit = TimeUnit.SECONDS)
    void manyProcessesWritingAtOnceLoseNothing() throws Exception {
        write(dir, "agents.yaml", TWO_SHELLS);
        int half = PROCESSES / 2;
        try (StateStore store = StateStore.open(dir)) {
            for (int k = 0; k < half; k++) {
                store.add(task("r" + k), "tasks.yaml");
            }
            store.add(task("flip"), "tasks.yaml");
        }
        long started = System.nanoTime();
        AtomicBoolean stop = new AtomicBoolean();
        AtomicInteger ownEvents = new AtomicInteger();
        AtomicInteger ownMoves = new AtomicInteger();
        AtomicInteger reads = new AtomicInteger();
        AtomicReference<Throwable> ownFailure = new AtomicReference<>();
        Thread meanwhile = new Thread(() -> {
            try (StateStore store = StateStore.open(dir)) {
                while (!stop.get()) {
                    assertThat(store.records()).isNotEmpty();
                    reads.incrementAndGet();
                    store.event(Journal.Kind.INFO, "tester", "flip", "tick " + ownEvents.incrementAndGet());
                    TaskState now = store.record("flip").orElseThrow().state();
                    if (store.move("flip", now == TaskState.PENDING ? TaskState.BLOCKED : TaskState.PENDING, null, "flip")) {
                        ownMoves.incrementAndGet();
                    }
                    Thread.sleep(2);
                }
            } catch (Throwable t) {
                ownFailure.set(t);
            }
        }, "meanwhile");
        meanwhile.start();

        List<Run> runs = new ArrayList<>();
        for (int i = 0; i < PROCESSES; i++) {
            ProcessBuilder pb;
            String name;
            if (i % 2 == 0) {
                name = "t" + i / 2;
                pb = new ProcessBuilder(SelfCommand.resolve(List.of("rulemux", "task", "add", "--id", name, "--prompt", "Do " + name
                        + ".", "--complexity", "low", "--config", dir.toString())));
            } else {
                int k = i / 2;
                name = "r" + k;
                pb = new ProcessBuilder(SelfCommand.resolve(List.of("rulemux", "report", "done", name, "--note", "note " + k)));
                pb.environment().put("RULEMUX_CONFIG", dir.toString()); // as in an agent's shell: no options
                pb.environment().put("RULEMUX_AGENT", "agent" + k);
            }
            pb.environment().remove("RULEMUX_DEBUG");
            Path out = dir.resolve("logs/" + i + ".out");
            Path err = dir.resolve("logs/" + i + ".err");
            Files.createDirectories(out.getParent());
            pb.redirectOutput(out.toFile()).redirectError(err.toFile()).directory(new File(System.getProperty("java.io.tmpdir")));
            runs.add(new Run(name, pb.start(), out, err));
        }
        for (Run r : runs) {
            assertThat(r.process().waitFor(300, TimeUnit.SECONDS)).as(r.name() + " finished").isTrue();
        }
        long processesDone = System.nanoTime();
        stop.set(true);
        meanwhile.join(10_000);
        System.out.printf("%d processes done in %d ms; meanwhile %d reads, %d events and %d moves from this process%n", PROCESSES,
                TimeUnit.NANOSECONDS.toMillis(processesDone - started), reads.get(), ownEvents.get(), ownMoves.get());

        assertThat(ownFailure.get()).isNull();
        for (Run r : runs) {
            assertThat(r.process().exitValue()).as(r.name() + ": " + Files.readString(r.err(), StandardCharsets.UTF_8)).isZero();
        }
        assertThat(reads.get()).as("this process kept going meanwhile").isGreaterThan(PROCESSES);
        try (StateStore store = StateStore.open(dir)) {
            List<TaskRecord> records = store.records();
            assertThat(records).hasSize(2 * half + 1);
            for (int n = 0; n < half; n++) {
                String id = "t" + n;
                assertThat(records).filteredOn(r -> r.id().equals(id)).singleElement()
                        .satisfies(r -> assertThat(r.spec().prompt()).isEqualTo("Do " + id + "."))
                        .satisfies(r -> assertThat(r.source()).isEqualTo("cli"));
            }
            assertThat(records).extracting(TaskRecord::order).doesNotHaveDuplicates();
            List<Report> reports = store.reports();
            assertThat(reports).extracting(Report::task, Report::outcome, Report::note, Report::agent)
                    .containsExactlyInAnyOrderElementsOf(java.util.stream.IntStream.range(0, half)
                            .mapToObj(k -> tuple("r" + k, ReportOutcome.DONE, "note " + k, "agent" + k)).toList());
            Map<String, Long> details = store.events(0, 1_000_000).stream()
                    .collect(Collectors.groupingBy(Journal.Event::detail, Collectors.counting()));
            for (int n = 0; n < half; n++) {
                assertThat(details).containsEntry("added t" + n + " (cli): t" + n, 1L);
                assertThat(details).containsEntry("agent" + n + " reports r" + n + " done: note " + n
                        + " (received; the loop acts on it at its next tick)", 1L);
            }
            for (int n = 1; n <= ownEvents.get(); n++) {
                assertThat(details).containsEntry("tick " + n, 1L);
            }
            TaskState flip = store.record("flip").orElseThrow().state();
            assertThat(flip).isEqualTo(ownMoves.get() % 2 == 0 ? TaskState.PENDING : TaskState.BLOCKED);
        }
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve(StateStore.FILE));
             Statement s = c.createStatement(); ResultSet r = s.executeQuery("PRAGMA integrity_check")) {
            assertThat(r.next() ? r.getString(1) : "").isEqualTo("ok");
        }
        String status = Files.readString(dir.resolve(StatusDocument.FILE), StandardCharsets.UTF_8);
        for (int n = 0; n < half; n++) {
            assertThat(status).contains("| t" + n + " | t" + n + " |", "agent" + n + " reports r" + n + " done: note " + n);
        }
        assertThat(runs.stream().map(r -> r.name() + ": " + read(r.out())).collect(Collectors.joining()))
                .contains("t0: added t0 (low, priority medium) from cli: t0", "r0: reported r0 done (it is PENDING) as agent0");
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

}
