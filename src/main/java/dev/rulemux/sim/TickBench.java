package dev.rulemux.sim;

import dev.rulemux.config.Config;
import dev.rulemux.config.ConfigLoader;
import dev.rulemux.domain.PaneSnapshot;
import dev.rulemux.domain.Task;
import dev.rulemux.domain.TaskState;
import dev.rulemux.loop.Decider;
import dev.rulemux.rules.Decision;
import dev.rulemux.rules.PolicyEngine;
import dev.rulemux.rules.RuleFile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What one tick of the policy costs for a team of {@code agents} and a queue of {@code tasks}: the shipped
 * rules, agents on real recorded Claude Code screens, tasks of three tiers and three priorities, one in five
 * depending on the task before it. Two ticks are measured:
 * <ul>
 * <li><b>worst</b>: every agent idle with nothing in flight and every task pending, so every agent is matched
 * to a task in one tick;</li>
 * <li><b>steady</b>: nine agents in ten working on a task, the tenth idle (its screen just changed), a
 * tenth of the queue done, the rest pending.</li>
 * </ul>
 * Wall times suffer from whatever else the machine runs; the deciding thread's CPU time is reported beside them.
 * A tick here is what the loop does after capturing the panes: read each screen with its profile, gather the
 * facts, fire the rules, collect the decision.
 */
public final class TickBench {

    /** One scenario, ready to be decided again and again. */
    public static final class Scenario implements AutoCloseable {
        private final Config config;
        private final PolicyEngine policy;
        private final Decider.Input input;
        private final int agents;
        private final int tasks;

        private Scenario(Config config, PolicyEngine policy, Decider.Input input, int agents, int tasks) {
            this.config = config;
            this.policy = policy;
            this.input = input;
            this.agents = agents;
            this.tasks = tasks;
        }

        /** Decides once; returns the decision (so that a benchmark can consume it). */
        public Decision tick() {
            return Decider.decide(config, policy, input, false).decision();
        }

        public int agents() {
            return agents;
        }

        public int tasks() {
            return tasks;
        }

        @Override
        public void close() {
            policy.close();
        }
    }

    /** Timings of one scenario. */
    public record Result(int agents, int tasks, String tick, int runs, double p50Ms, double p99Ms, double maxMs,
                         double cpuP50Ms, int actions, long heapMb) {
    }

    private TickBench() {
    }

    /**
     * Builds a scenario in {@code work} (a config directory of {@code agents} Claude Code agents and {@code tasks}
     * tasks), with the rules and recorded screens of {@code home} (a rulemux checkout).
     */
    public static Scenario scenario(Path home, Path work, int agents, int tasks, boolean worst) {
        try {
            Path dir = Files.createDirectories(work.resolve(agents + "x" + tasks));
            Files.writeString(dir.resolve(ConfigLoader.AGENTS_FILE), agentsYaml(agents), StandardCharsets.UTF_8);
            Files.writeString(dir.resolve(ConfigLoader.TASKS_FILE), tasksYaml(tasks), StandardCharsets.UTF_8);
            Config config = ConfigLoader.load(dir);
            PolicyEngine policy = PolicyEngine.compile(RuleFile.from(config.sources()));
            String idle = screen(home, "idle.txt");
            String working = screen(home, "working.txt");
            List<Task> queue = Decider.pending(config.tasks());
            Map<String, PaneSnapshot> snapshots = new LinkedHashMap<>();
            List<Task> facts = new ArrayList<>(queue);
            int next = 0;
            for (int i = 0; i < agents; i++) {
                String name = name(i);
                boolean busy = !worst && i % 10 != 0;
                if (busy && next < facts.size()) {
                    facts.set(next, facts.get(next).withState(TaskState.IN_PROGRESS, name));
                    next++;
                    snapshots.put(name, new PaneSnapshot(name, working, 0, false, "node", 600_000));
                } else {
                    snapshots.put(name, new PaneSnapshot(name, idle, 5_000, false, "node", 600_000));
                }
            }
            if (!worst) {
                // a tenth of the queue done, from the start of what is left
                for (int i = next; i < Math.min(facts.size(), next + tasks / 10); i++) {
                    facts.set(i, facts.get(i).withState(TaskState.COMPLETED, null));
                }
            }
            Decider.Input input = new Decider.Input(snapshots, facts, List.of(), List.of(), System.currentTimeMillis());
            return new Scenario(config, policy, input, agents, tasks);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Times {@code runs} ticks of a scenario after {@code warmup} untimed ones. */
    public static Result measure(Scenario scenario, String tick, int warmup, int runs) {
        int actions = 0;
        for (int i = 0; i < warmup; i++) {
            actions = scenario.tick().actions().size();
        }
        double[] ms = new double[runs];
        double[] cpu = new double[runs];
        java.lang.management.ThreadMXBean threads = java.lang.management.ManagementFactory.getThreadMXBean();
        for (int i = 0; i < runs; i++) {
            long c0 = threads.getCurrentThreadCpuTime();
            long t0 = System.nanoTime();
            actions = scenario.tick().actions().size();
            ms[i] = (System.nanoTime() - t0) / 1e6;
            cpu[i] = (threads.getCurrentThreadCpuTime() - c0) / 1e6;
        }
        java.util.Arrays.sort(ms);
        java.util.Arrays.sort(cpu);
        Runtime rt = Runtime.getRuntime();
        System.gc();
        long heapMb = (rt.totalMemory() - rt.freeMemory()) >> 20;
        return new Result(scenario.agents(), scenario.tasks(), tick, runs, pct(ms, 50), pct(ms, 99), ms[ms.length - 1],
                pct(cpu, 50), actions, heapMb);
    }

    static double pct(double[] sorted, int p) {
        int i = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, i))];
    }

    static String name(int i) {
        return String.format("agent-%04d", i);
    }

    private static final String[] TIERS = {"high", "medium", "low"};
    private static final String[] PRIORITIES = {"high", "medium", "low", "medium", "low"};

    static String agentsYaml(int agents) {
        StringBuilder b = new StringBuilder("session: tickbench\nsocket: rulemux-tickbench\nagents:\n");
        for (int i = 0; i < agents; i++) {
            b.append("  - name: ").append(name(i)).append('\n')
                    .append("    profile: claude-code\n")
                    .append("    command: claude\n")
                    .append("    tier: ").append(TIERS[i % 3]).append('\n');
        }
        return b.toString();
    }

    static String tasksYaml(int tasks) {
        StringBuilder b = new StringBuilder("tasks:\n");
        for (int i = 0; i < tasks; i++) {
            b.append("  - id: t").append(i).append('\n')
                    .append("    title: Task ").append(i).append('\n')
                    .append("    complexity: ").append(TIERS[(i / 2) % 3]).append('\n')
                    .append("    priority: ").append(PRIORITIES[i % PRIORITIES.length]).append('\n')
                    .append("    prompt: Do task ").append(i).append(".\n");
            if (i % 5 == 4) {
                b.append("    depends_on: [t").append(i - 1).append("]\n");
            }
        }
        return b.toString();
    }

    private static String screen(Path home, String name) throws IOException {
        Path file = home.resolve("src/test/resources/screens/claude-code").resolve(name);
        if (!Files.isRegularFile(file)) {
            throw new IllegalStateException("bench tick reads the recorded Claude Code screens of a rulemux checkout; "
                    + file + " is missing (run it from the checkout, with ./rulemux)");
        }
        return Files.readString(file, StandardCharsets.UTF_8);
    }
}
