package dev.rulemux.cli;

import dev.rulemux.App;
import dev.rulemux.config.Config;
import dev.rulemux.domain.Delivery;
import dev.rulemux.domain.TurnOnScreen;
import dev.rulemux.screen.Turns;
import dev.rulemux.domain.PaneSnapshot;
import dev.rulemux.domain.Task;
import dev.rulemux.domain.TaskState;
import dev.rulemux.loop.Decider;
import dev.rulemux.rules.PolicyEngine;
import java.io.IOException;
import java.nio.charset.MalformedInputException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code rulemux decide}: puts recorded screens and the tasks of {@code tasks.yaml} through the policy once
 * and prints what it decides. Nothing is sent anywhere; this is how a policy edit is tested offline.
 */
@Command(name = "decide", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Feed recorded screens (plain `tmux capture-pane -p` text) and the tasks of tasks.yaml through "
                + "the policy once; print each agent's status and context use, then the decided actions.",
                "Touches no tmux pane: use it to test a policy edit offline."})
public final class DecideCommand implements Callable<Integer> {

    /** How long a recorded screen is taken to have been still, unless --unchanged-ms says otherwise. */
    public static final long DEFAULT_UNCHANGED_MS = 5_000;

    @Mixin
    ConfigOption config;

    @Option(names = "--screen", paramLabel = "AGENT=FILE", required = true,
            description = "A recorded screen of an agent (repeatable).")
    Map<String, Path> screens = new LinkedHashMap<>();

    @Option(names = "--unchanged-ms", paramLabel = "AGENT=MS",
            description = "How long the agent's screen has looked like this (default " + DEFAULT_UNCHANGED_MS + ").")
    Map<String, Long> unchangedMs = new LinkedHashMap<>();

    @Option(names = "--assigned", paramLabel = "AGENT=TASK", description = "The task is in flight on that agent (repeatable).")
    Map<String, String> assigned = new LinkedHashMap<>();

    @Option(names = "--delivered-on", paramLabel = "AGENT=FILE",
            description = "The screen the agent showed when the prompt of its --assigned task was delivered: the prompt is "
                    + "in flight, not yet seen at work, and a turn its --screen shows below those of this one (profile "
                    + "turns:) is over (repeatable).")
    Map<String, Path> deliveredOn = new LinkedHashMap<>();

    @Option(names = "--done", paramLabel = "TASK", split = ",", description = "Tasks already completed (repeatable, or comma-separated).")
    List<String> done = new ArrayList<>();

    @Option(names = "--pane-command", paramLabel = "AGENT=COMMAND",
            description = "The pane's foreground command, as tmux would report it (e.g. bash when the CLI has exited).")
    Map<String, String> paneCommands = new LinkedHashMap<>();

    @Option(names = "--dead", paramLabel = "AGENT", split = ",", description = "The agent's pane is dead.")
    List<String> dead = new ArrayList<>();

    @Option(names = "--json", description = "One JSON object per line instead of a table.")
    boolean json;

    @Option(names = "--explain", description = "Also show the markers that matched, the evidence weighed and the rules that fired.")
    boolean explain;

    @Spec
    CommandSpec spec;

    private final App app;

    public DecideCommand(App app) {
        this.app = app;
    }

    @Override
    public Integer call() {
        Config cfg = app.loadConfigAndPolicy(config.dir());
        checkAgents(cfg, screens.keySet(), "--screen");
        checkAgents(cfg, unchangedMs.keySet(), "--unchanged-ms");
        checkAgents(cfg, assigned.keySet(), "--assigned");
        checkAgents(cfg, paneCommands.keySet(), "--pane-command");
        checkAgents(cfg, deliveredOn.keySet(), "--delivered-on");
        for (String agent : deliveredOn.keySet()) {
            if (!assigned.containsKey(agent) || !screens.containsKey(agent)) {
                throw new ParameterException(spec.commandLine(), "--delivered-on " + agent + ": give the agent's task with "
                        + "--assigned " + agent + "=TASK and its screen now with --screen " + agent + "=FILE");
            }
        }
        checkAgents(cfg, new TreeSet<>(dead), "--dead");
        long now = app.clock().millis();
        Map<String, PaneSnapshot> snapshots = new LinkedHashMap<>();
        screens.forEach((agent, file) -> snapshots.put(agent, new PaneSnapshot(agent, readScreen(agent, file),
                now - unchangedMs.getOrDefault(agent, DEFAULT_UNCHANGED_MS), dead.contains(agent), paneCommands.get(agent), -1)));
        List<Task> tasks = tasks(cfg);
        List<Delivery> deliveries = new ArrayList<>();
        List<Object> more = new ArrayList<>(dev.rulemux.loop.Worktrees.factsOf(cfg, cfg.tasks()));
        Map<String, TurnOnScreen> turns = new LinkedHashMap<>();
        deliveredOn.forEach((agent, file) -> {
            PaneSnapshot then = new PaneSnapshot(agent, readScreen("--delivered-on", agent, file), now, false, null, -1);
            PaneSnapshot shown = snapshots.get(agent);
            long sentAt = shown.changedAtMs() - 1; // the prompt went before the screen came to look as it does
            String task = assigned.get(agent);
            deliveries.add(new Delivery(agent, task, sentAt, 1, sentAt, false));
            List<String> before = Decider.observe(cfg, Map.of(agent, then)).get(agent).turns();
            List<String> after = Decider.observe(cfg, Map.of(agent, shown)).get(agent).turns();
            Turns.newSince(before, after).ifPresent(line -> turns.put(agent, new TurnOnScreen(agent, task, shown.changedAtMs(), line)));
        });
        more.addAll(turns.values());
        try (PolicyEngine policy = app.compilePolicy(cfg)) {
            // the agents in worktrees and the tasks' file claims, as a run puts them before the policy
            Decider.Outcome outcome = Decider.decide(cfg, policy, new Decider.Input(snapshots, tasks, deliveries, List.of(), now,
                    more), explain);
            DecisionPrinter printer = new DecisionPrinter(spec.commandLine().getOut(), policy.ruleLocations(), turns);
            if (json) {
                printer.json(outcome, explain);
            } else {
                printer.table(outcome, explain);
            }
        }
        return ExitCodes.OK;
    }

    private List<Task> tasks(Config cfg) {
        List<Task> tasks = new ArrayList<>();
        Set<String> known = new TreeSet<>();
        cfg.tasks().forEach(t -> known.add(t.id()));
        for (String id : done) {
            if (!known.contains(id)) {
                throw new ParameterException(spec.commandLine(), "--done " + id + ": no such task in tasks.yaml (tasks: " + String.join(", ", known) + ")");
            }
        }
        Map<String, String> agentOfTask = new LinkedHashMap<>();
        assigned.forEach((agent, task) -> {
            if (!known.contains(task)) {
                throw new ParameterException(spec.commandLine(), "--assigned " + agent + "=" + task + ": no such task in tasks.yaml (tasks: " + String.join(", ", known) + ")");
            }
            agentOfTask.put(task, agent);
        });
        for (Task t : Decider.pending(cfg.tasks())) {
            if (agentOfTask.containsKey(t.id())) {
                tasks.add(t.withState(TaskState.IN_PROGRESS, agentOfTask.get(t.id())));
            } else if (done.contains(t.id())) {
                tasks.add(t.withState(TaskState.COMPLETED, null));
            } else {
                tasks.add(t);
            }
        }
        return tasks;
    }

    private void checkAgents(Config cfg, Set<String> agents, String option) {
        for (String agent : agents) {
            if (cfg.team().agent(agent).isEmpty()) {
                throw new ParameterException(spec.commandLine(), option + " " + agent + ": no such agent in agents.yaml (agents: "
                        + String.join(", ", cfg.team().agents().stream().map(a -> a.name()).toList()) + ")");
            }
        }
    }

    private String readScreen(String agent, Path file) {
        return readScreen("--screen", agent, file);
    }

    private String readScreen(String option, String agent, Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (MalformedInputException e) {
            throw new ParameterException(spec.commandLine(), option + " " + agent + "=" + file + ": not UTF-8 text");
        } catch (IOException e) {
            throw new ParameterException(spec.commandLine(), option + " " + agent + "=" + file + ": cannot read it (" + e.getMessage() + ")");
        }
    }
}
