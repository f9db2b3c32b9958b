package dev.rulemux.devtools;

import dev.rulemux.config.Config;
import dev.rulemux.config.ConfigLoader;
import dev.rulemux.domain.PaneSnapshot;
import dev.rulemux.domain.Task;
import dev.rulemux.domain.TaskState;
import dev.rulemux.loop.Decider;
import dev.rulemux.rules.Decision;
import dev.rulemux.rules.DecisionMaker;
import dev.rulemux.rules.PolicyEngine;
import dev.rulemux.rules.PolicySession;
import dev.rulemux.rules.RuleFile;
import dev.rulemux.screen.Readings;
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

    /** How the ticks are decided: as {@code run} does (one long-lived session) or as {@code decide} does (a fresh one). */
    public enum Engine {
        /** One session through every tick, updating what changed ({@code rulemux run}). */
        SESSION,
        /** A fresh session per tick, every fact inserted ({@code rulemux decide}). */
        FRESH;

        public static Engine of(String name) {
            return valueOf(name.toUpperCase(java.util.Locale.ROOT));
        }
    }

    /**
     * One scenario, ready to be decided again and again. In a steady scenario a tenth of the agents change
     * from one tick to the next: every tick a ninth of the agents at work show a new line (each in turn, so that
     * every screen at work changes every nine ticks, as a working CLI's does, and none looks stuck); every other
     * tick a tenth of the agents finish their task and start the next (two tasks change state), and the tick
     * after, the other way round, so that the queue never runs dry.
     */
    public static final class Scenario implements AutoCloseable {
        private final Config config;
        private final PolicyEngine policy;
        private final DecisionMaker maker;
        private final Map<String, PaneSnapshot> snapshots;
        private final List<Task> tasks;
        private final int[][] churn;
        private final int agents;
        private final int taskCount;
        private final Readings readings;
        /** The agents at work, whose screens change in turn. */
        private final List<String> working;
        /** The screens as they are now (those of the agents at work change in turn). */
        private final Map<String, PaneSnapshot> current;
        private long ticks;

        private Scenario(Config config, PolicyEngine policy, Engine engine, Map<String, PaneSnapshot> snapshots,
                         List<Task> tasks, int[][] churn, int agents, int taskCount) {
            this.config = config;
            this.policy = policy;
            this.maker = engine == Engine.SESSION ? PolicySession.keepingUnchanged(policy) : policy;
            java.util.Set<String> busy = new java.util.HashSet<>();
            tasks.forEach(t -> busy.add(t.agent()));
            this.working = snapshots.keySet().stream().filter(busy::contains).toList();
            this.current = new LinkedHashMap<>(snapshots);
            this.readings = engine == Engine.SESSION ? new Readings() : null;
            this.snapshots = snapshots;
            this.tasks = tasks;
            this.churn = churn;
            this.agents = agents;
            this.taskCount = taskCount;
        }

        /** Decides once, as the engine's command would (run reuses the readings of unchanged screens); returns the decision. */
        public Decision tick() {
            Decider.Input in = input();
            return Decider.decide(config, maker, in, Decider.observe(config, in.snapshots(), readings), false).decision();
        }

        public Config config() {
            return config;
        }

        public PolicyEngine policy() {
            return policy;
        }

        /** The facts of the next tick. */
        public Decider.Input input() {
            long n = ticks++;
            List<Task> now = tasks;
            long at = START + n * 1000;
            Map<String, PaneSnapshot> screens = snapshots;
            if (!working.isEmpty()) {
                // a ninth of the agents at work (a tenth of the team) show a new line: their screens changed this tick
                for (int b = (int) (n % 9); b < working.size(); b += 9) {
                    PaneSnapshot was = current.get(working.get(b));
                    String text = was.text().endsWith("\n\n") ? snapshots.get(was.agent()).text() : was.text() + "\n";
                    current.put(was.agent(), new PaneSnapshot(was.agent(), text, at, was.dead(), was.currentCommand(),
                            was.launchedAtMs()));
                }
                screens = new LinkedHashMap<>(current);
            }
            if (churn.length > 0 && n % 2 == 1) {
                now = new ArrayList<>(tasks);
                for (int[] c : churn) {
                    // {task index in flight, index of a pending task}: the first is done, the second started
                    Task a = now.get(c[0]);
                    Task b = now.get(c[1]);
                    now.set(c[0], a.withState(TaskState.COMPLETED, null));
                    now.set(c[1], b.withState(TaskState.IN_PROGRESS, a.agent()));
                }
            }
            return new Decider.Input(screens, now, List.of(), List.of(), at);
        }

        public int agents() {
            return agents;
        }

        public int tasks() {
            return taskCount;
        }

        @Override
        public void close() {
            if (maker instanceof PolicySession session) {
                session.close();
            }
            policy.close();
        }
    }

    private static final long START = System.currentTimeMillis();

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
        return scenario(home, work, agents, tasks, worst, Engine.FRESH);
    }

    /** A scenario decided by {@code engine}. */
    public static Scenario scenario(Path home, Path work, int agents, int tasks, boolean worst, Engine engine) {
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
                    snapshots.put(name, new PaneSnapshot(name, working, START, false, "node", START - 600_000));
                } else {
                    snapshots.put(name, new PaneSnapshot(name, idle, START - 5_000, false, "node", START - 600_000));
                }
            }
            List<int[]> churn = new ArrayList<>();
            if (!worst) {
                // a tenth of the queue done, from the start of what is left
                for (int i = next; i < Math.min(facts.size(), next + tasks / 10); i++) {
                    facts.set(i, facts.get(i).withState(TaskState.COMPLETED, null));
                }
                // a tenth of the agents at work finish their task and start a pending one every other tick
                int pending = Math.min(facts.size(), next + tasks / 10);
                for (int busy = 0; busy < next && churn.size() < Math.max(1, agents / 10); busy += 9) {
                    while (pending < facts.size() && facts.get(pending).state() != TaskState.PENDING) {
                        pending++;
                    }
                    if (pending < facts.size()) {
                        churn.add(new int[] {busy, pending++});
                    }
                }
            }
            return new Scenario(config, policy, engine, snapshots, facts, churn.toArray(new int[0][]), agents, tasks);
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
