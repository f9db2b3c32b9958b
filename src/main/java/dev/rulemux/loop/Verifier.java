package dev.rulemux.loop;

import dev.rulemux.board.TaskBoard;
import dev.rulemux.board.TaskRecord;
import dev.rulemux.config.AgentSpec;
import dev.rulemux.config.Argv;
import dev.rulemux.config.Config;
import dev.rulemux.domain.Verification;
import dev.rulemux.proc.Exec;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Runs the verify commands of the tasks that are verifying, one background process each: the command is
 * split into an argv list (no shell: write {@code bash -c '…'} to have one), runs in the agent's workdir with
 * a time limit, and its result (exit code, the end of its output) is recorded on the task board for the
 * policy to decide from at the next tick.
 */
public final class Verifier implements AutoCloseable {

    /** How much of a failed command's output is kept for the retry prompt. */
    static final int TAIL_CHARS = 4000;

    private final TaskBoard board;
    private final EventLog log;
    private final ExecutorService runner = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "rulemux-verify");
        t.setDaemon(true);
        return t;
    });
    private final Set<String> running = new HashSet<>();
    /** How many times the result of each task's attempt could not be recorded. */
    private final java.util.Map<String, Integer> unrecorded = new java.util.HashMap<>();

    /** After this many results of one attempt could not be recorded, the task fails rather than verify for ever. */
    static final int MAX_RECORD_FAILURES = 3;

    private final java.time.Clock clock;

    /** A verifier that dates results by {@code clock}. */
    public Verifier(TaskBoard board, EventLog log, java.time.Clock clock) {
        this.board = board;
        this.log = log;
        this.clock = clock;
    }

    /** Starts the verification of every verifying task that has neither a result nor a run under way. */
    public synchronized void startDue(Config config, List<TaskRecord> records, Duration timeout) {
        Set<String> answered = new HashSet<>();
        board.verifications().forEach(v -> answered.add(v.task() + "#" + v.attempt()));
        for (TaskRecord r : records) {
            String key = r.id() + "#" + r.attempts();
            if (r.state() != dev.rulemux.domain.TaskState.VERIFYING || running.contains(key) || answered.contains(key)) {
                continue;
            }
            AgentSpec agent = r.agent() == null ? null : config.team().agent(r.agent()).orElse(null);
            java.nio.file.Path dir = agent == null ? config.dir() : Team.workdir(config, agent);
            String command = r.spec().verify();
            int attempt = r.attempts();
            running.add(key);
            log.action(r.agent(), r.id(), "verifying " + r.id() + " (attempt " + attempt + "): "
                    + (command == null || command.isBlank() ? "no verify command, its branch is merged next" : command));
            runner.submit(() -> {
                try {
                    Verification result = run(r.id(), attempt, command, dir, timeout);
                    record(r, key, result);
                } finally {
                    synchronized (this) {
                        running.remove(key); // a result not recorded is verified again at the next tick
                    }
                }
            });
        }
    }

    /**
     * Records {@code result}. When that fails the verification is run again at the next tick; after
     * {@link #MAX_RECORD_FAILURES} failures the task fails, with the reason, rather than stay verifying for ever.
     */
    private void record(TaskRecord r, String key, Verification result) {
        try {
            board.verified(result, clock.millis());
        } catch (RuntimeException e) {
            int failures;
            synchronized (this) {
                failures = unrecorded.merge(key, 1, Integer::sum);
            }
            if (failures < MAX_RECORD_FAILURES) {
                log.warn("the verification result of " + r.id() + " could not be recorded (" + failures + " of "
                        + MAX_RECORD_FAILURES + "), it is verified again: " + e.getMessage());
                return;
            }
            String reason = "its verification result could not be recorded " + failures + " times: " + e.getMessage();
            try {
                board.move(r.id(), dev.rulemux.domain.TaskState.FAILED, r.agent(), reason);
                log.alert(r.agent(), r.id(), r.id() + " failed: " + reason);
            } catch (RuntimeException again) {
                log.alert(r.agent(), r.id(), r.id() + " " + reason + ", and it could not be marked failed: " + again.getMessage());
            }
            return;
        }
        synchronized (this) {
            unrecorded.remove(key);
        }
        log.action(r.agent(), r.id(), "verify of " + r.id() + (result.passed() ? " passed" : " failed (exit "
                + result.exitCode() + ")"));
    }

    static Verification run(String task, int attempt, String command, java.nio.file.Path dir, Duration timeout) {
        if (command == null || command.isBlank()) {
            // a task checked only because its branch is to be merged back (an agent in a worktree): nothing to run
            return new Verification(task, attempt, true, 0, "no verify command");
        }
        try {
            List<String> argv = Argv.split(command);
            Exec.Result r = Exec.run(Exec.Call.of(argv, timeout).in(dir).endingItsProcesses());
            String out = (r.out() + (r.err().isBlank() ? "" : "\n" + r.err())).strip();
            if (r.timedOut()) {
                out = out + "\n(timed out after " + timeout.toSeconds() + " s)";
            }
            return new Verification(task, attempt, r.ok(), r.exitCode(), tail(out));
        } catch (RuntimeException e) {
            return new Verification(task, attempt, false, -1, "could not run " + command + ": " + e.getMessage());
        }
    }

    static String tail(String s) {
        return s.length() <= TAIL_CHARS ? s : "…" + s.substring(s.length() - TAIL_CHARS);
    }

    @Override
    public void close() {
        runner.shutdownNow();
    }
}
