package dev.rulemux.loop;

import dev.rulemux.config.AgentSpec;
import dev.rulemux.config.Config;
import dev.rulemux.config.ConfigException;
import dev.rulemux.config.ConfigLoader;
import dev.rulemux.config.Problem;
import dev.rulemux.domain.Action;
import dev.rulemux.domain.ActionType;
import dev.rulemux.domain.AgentStatus;
import dev.rulemux.domain.PaneSnapshot;
import dev.rulemux.domain.Status;
import dev.rulemux.domain.Task;
import dev.rulemux.domain.TaskState;
import dev.rulemux.domain.TaskTransition;
import dev.rulemux.rules.LivePolicy;
import dev.rulemux.rules.PolicyFailure;
import dev.rulemux.rules.RuleError;
import dev.rulemux.screen.Observation;
import dev.rulemux.tmux.Pane;
import dev.rulemux.tmux.TmuxException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * rulemux's main job. Each tick: pick up edited config and rules, capture every agent's pane (all at once,
 * each with a timeout), put the facts before the policy, apply the task transitions it decided and carry
 * out the actions that are new since the last tick (an action the policy keeps deciding is carried out
 * once; the policy's own cooldowns make a retry a new decision). With {@code dryRun}, nothing is sent:
 * each decided action is printed once, when it first appears.
 */
public final class RunLoop implements AutoCloseable {

    /**
     * How a run behaves.
     *
     * @param dryRun         capture and decide, send nothing
     * @param exitWhenDone   stop once no task is pending or in flight
     * @param interval       time between the starts of two ticks
     * @param captureTimeout how long one pane capture may take
     * @param allowed        the action types carried out (others are decided and logged only); empty: all
     * @param untilReady     stop once every agent is past starting (for {@code rulemux start})
     * @param maxTime        stop after this long; null: no limit
     */
    public record Options(boolean dryRun, boolean exitWhenDone, Duration interval, Duration captureTimeout,
                          Set<ActionType> allowed, boolean untilReady, Duration maxTime) {

        public Options {
            allowed = Set.copyOf(allowed);
        }

        public static Options run(boolean dryRun, boolean exitWhenDone, Duration interval) {
            return new Options(dryRun, exitWhenDone, interval, Duration.ofSeconds(3), Set.of(), false, null);
        }

        /** Watching a fresh team until it is ready: only dialogs are answered (and alerts raised). */
        public static Options startup(Duration maxTime) {
            return new Options(false, false, Duration.ofMillis(300), Duration.ofSeconds(3),
                    Set.of(ActionType.ANSWER_DIALOG, ActionType.ALERT), true, maxTime);
        }
    }

    /** What identifies an action across ticks (its reason may word the same decision differently). */
    private record ActionKey(String type, String agent, String task, String target, List<String> keys) {
        static ActionKey of(Action a) {
            return new ActionKey(a.type().wireName(), a.agent(), a.task(), a.target(), a.keys());
        }
    }

    private final Options options;
    private final Team team;
    private final TaskBoard board;
    private final Deliveries deliveries = new Deliveries();
    private final ScreenHistory history = new ScreenHistory();
    private final EventLog log;
    private final Clock clock;
    private final LivePolicy policy;
    private final ExecutorService workers;
    private final ConfigWatch watch;
    private Config config;
    private Actuator actuator;
    private Set<ActionKey> standing = Set.of();
    private final Map<String, Status> lastStatus = new HashMap<>();
    private volatile boolean stopping;
    private boolean sessionMissingReported;

    public RunLoop(Config config, LivePolicy policy, Team team, TaskBoard board, EventLog log, Clock clock, Options options) {
        this.config = config;
        this.policy = policy;
        this.team = team;
        this.board = board;
        this.log = log;
        this.clock = clock;
        this.options = options;
        this.actuator = new Actuator(config, team, board, deliveries, log, clock);
        this.workers = Executors.newFixedThreadPool(Math.max(2, config.team().agents().size()), r -> {
            Thread t = new Thread(r, "rulemux-worker");
            t.setDaemon(true);
            return t;
        });
        this.watch = new ConfigWatch(config.sources());
        long now = clock.millis();
        for (Task t : board.tasks()) {
            if (t.inFlight() && t.agent() != null) {
                deliveries.adopt(t.agent(), t.id(), now);
            }
        }
    }

    /** Asks the loop to stop after the tick under way (Ctrl-C). The agents keep running. */
    public void stop() {
        stopping = true;
    }

    /**
     * Runs ticks until stopped, or, with {@code exitWhenDone}, until no task is pending or in flight.
     *
     * @return the exit code: 0
     */
    public int run() {
        long deadline = options.maxTime() == null ? Long.MAX_VALUE : System.nanoTime() + options.maxTime().toNanos();
        if (!options.dryRun()) {
            List<String> launched = team.start();
            if (!launched.isEmpty()) {
                log.decision("started " + String.join(", ", launched) + " in tmux session " + team.session());
            }
        } else {
            log.decision("dry run: nothing will be sent to any agent");
        }
        while (!stopping) {
            long started = System.nanoTime();
            tick();
            if (options.exitWhenDone() && board.done()) {
                log.endProgress();
                log.decision("all tasks are done: " + summary());
                return 0;
            }
            if (options.untilReady() && ready()) {
                log.endProgress();
                log.decision("every agent is ready");
                return 0;
            }
            if (System.nanoTime() > deadline) {
                log.endProgress();
                if (options.untilReady()) {
                    log.warn("not every agent is ready after " + options.maxTime().toSeconds() + " s: " + lastStatus);
                    return 1;
                }
                log.decision("time limit reached (" + summary() + ")");
                return 0;
            }
            long left = options.interval().toNanos() - (System.nanoTime() - started);
            if (left > 0) {
                try {
                    TimeUnit.NANOSECONDS.sleep(left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
        }
        log.endProgress();
        log.decision("stopped; the agents keep running (" + summary() + ")");
        return 0;
    }

    /** One tick; public for tests, which drive the loop step by step. */
    public void tick() {
        reloadIfChanged();
        long now = clock.millis();
        Map<String, Pane> panes = panes();
        Map<String, PaneSnapshot> snapshots = capture(panes, now);
        Map<String, Observation> seen = Decider.observe(config, snapshots);
        seen.forEach((agent, observation) -> deliveries.observed(agent, observation, lastStatus.get(agent)));
        List<String> agents = config.team().agents().stream().map(AgentSpec::name).toList();
        Decider.Input input = new Decider.Input(snapshots, board.tasks(), deliveries.facts(now),
                deliveries.activity(agents, now), now);
        Decider.Outcome outcome;
        try {
            outcome = Decider.decide(config, policy.current(), input, seen, false);
        } catch (PolicyFailure e) {
            log.warn("the policy failed this tick, nothing was done: " + e.getMessage());
            return;
        }
        reportStatuses(outcome);
        if (!options.dryRun()) {
            applyTransitions(outcome.decision().transitions());
        }
        carryOut(outcome.decision().actions(), panes);
        log.progress(progressLine(outcome), progressKey(outcome));
    }

    /**
     * Every agent waits for input (or for a person: an approval, a limit). A screen still changing right
     * after launch is not ready: a CLI draws its startup dialog a moment after it starts.
     */
    private boolean ready() {
        List<String> agents = config.team().agents().stream().map(AgentSpec::name).toList();
        return agents.stream().allMatch(a -> {
            Status s = lastStatus.get(a);
            return s == Status.IDLE || s == Status.AWAITING_SUBMIT || s == Status.AWAITING_APPROVAL
                    || s == Status.RATE_LIMITED || s == Status.STUCK;
        });
    }

    public TaskBoard board() {
        return board;
    }

    public Map<String, Status> statuses() {
        return Map.copyOf(lastStatus);
    }

    private Map<String, Pane> panes() {
        try {
            Map<String, Pane> panes = team.panes();
            if (panes.isEmpty() && !sessionMissingReported) {
                log.warn("tmux session " + team.session() + " has no agent windows" + (options.dryRun()
                        ? "; start it with rulemux start (a dry run starts nothing)" : ""));
                sessionMissingReported = true;
            } else if (!panes.isEmpty()) {
                sessionMissingReported = false;
            }
            return panes;
        } catch (TmuxException e) {
            log.warn("cannot list the panes: " + e.getMessage());
            return Map.of();
        }
    }

    private Map<String, PaneSnapshot> capture(Map<String, Pane> panes, long now) {
        Map<String, Future<String>> captures = new LinkedHashMap<>();
        panes.forEach((agent, pane) -> captures.put(agent, workers.submit(() -> team.tmux().capture(pane.id()))));
        Map<String, PaneSnapshot> out = new LinkedHashMap<>();
        Map<String, Long> launched = team.launchedAt();
        for (Map.Entry<String, Future<String>> e : captures.entrySet()) {
            String agent = e.getKey();
            Pane pane = panes.get(agent);
            try {
                String text = e.getValue().get(options.captureTimeout().toMillis(), TimeUnit.MILLISECONDS);
                out.put(agent, history.snapshot(agent, text, pane.dead(), pane.currentCommand(),
                        launched.getOrDefault(agent, -1L), now));
            } catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
                return out;
            } catch (Exception ex) {
                e.getValue().cancel(true);
                log.note("capture of " + agent + " failed this tick: " + ex);
            }
        }
        return out;
    }

    private void reportStatuses(Decider.Outcome outcome) {
        for (AgentStatus s : outcome.decision().statuses()) {
            Status before = lastStatus.put(s.agent(), s.status());
            if (before != s.status()) {
                log.status(s.agent(), before == null ? "(new)" : before.name(), s.status().name(), s.reason());
            }
        }
    }

    private void applyTransitions(List<TaskTransition> transitions) {
        Map<String, Task> tasks = board.tasks().stream().collect(Collectors.toMap(Task::id, t -> t));
        for (TaskTransition t : transitions) {
            Task task = tasks.get(t.task());
            if (task == null) {
                continue;
            }
            String agent = task.agent();
            if (board.move(t.task(), t.to(), agent, t.reason())) {
                log.decision(t.task() + " " + task.state() + " -> " + t.to() + ": " + t.reason());
                if (!t.to().inFlight() && agent != null) {
                    deliveries.finished(agent);
                }
            } else {
                log.note("ignored transition of " + t.task() + " from " + task.state() + " to " + t.to() + " (not allowed)");
            }
        }
    }

    private void carryOut(List<Action> actions, Map<String, Pane> panes) {
        Set<ActionKey> now = new HashSet<>();
        Map<String, List<Action>> fresh = new LinkedHashMap<>();
        for (Action a : actions) {
            if (!options.allowed().isEmpty() && !options.allowed().contains(a.type())) {
                continue;
            }
            ActionKey key = ActionKey.of(a);
            now.add(key);
            if (!standing.contains(key)) {
                fresh.computeIfAbsent(a.agent(), k -> new ArrayList<>()).add(a);
            }
        }
        Set<ActionKey> failed = new HashSet<>();
        if (options.dryRun()) {
            fresh.values().forEach(list -> list.forEach(a -> log.decision("would " + a.type().wireName() + " " + a.agent()
                    + (a.task() == null ? "" : " " + a.task()) + (a.target() == null ? "" : " -> " + a.target())
                    + (a.keys().isEmpty() ? "" : " [" + String.join(" ", a.keys()) + "]") + ": " + a.reason())));
        } else {
            // Each agent's actions in order; different agents at once (a paste waits its submit delay).
            Map<String, Future<?>> running = new LinkedHashMap<>();
            fresh.forEach((agent, list) -> running.put(agent, workers.submit(() -> {
                for (Action a : list) {
                    Pane pane = panes.get(agent);
                    try {
                        if (pane == null) {
                            throw new TmuxException("no window for " + agent + " in session " + team.session());
                        }
                        actuator.carryOut(a, pane);
                    } catch (RuntimeException e) {
                        synchronized (failed) {
                            failed.add(ActionKey.of(a));
                        }
                        log.warn("could not " + a.type().wireName() + " " + agent + ": " + e.getMessage());
                    }
                }
            })));
            for (Future<?> f : running.values()) {
                try {
                    f.get();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } catch (java.util.concurrent.ExecutionException e) {
                    log.warn("an action failed: " + e.getCause());
                }
            }
        }
        now.removeAll(failed);
        standing = now;
    }

    private void reloadIfChanged() {
        if (!watch.changed()) {
            return;
        }
        try {
            Config fresh = ConfigLoader.load(config.sources());
            if (!sameTeam(fresh)) {
                log.warn("agents.yaml changed: restart the run to apply changes to the team; the rest is applied");
                fresh = new Config(fresh.sources(), config.team(), fresh.tasks(), fresh.profiles(), fresh.policy(),
                        fresh.prompts(), fresh.warnings());
            }
            config = fresh;
            actuator = new Actuator(config, team, board, deliveries, log, clock);
            board.declare(fresh.tasks());
            log.decision("configuration reloaded");
        } catch (ConfigException e) {
            for (Problem p : e.problems()) {
                log.warn("edit not applied, the previous configuration keeps running: " + p);
            }
        }
        LivePolicy.Reload reload = policy.refresh();
        if (reload.reloaded()) {
            log.decision("rules reloaded");
        }
        reload.failure().ifPresent(e -> {
            for (RuleError err : e.errors()) {
                log.warn("rule edit not applied, the previous rules keep running: " + err);
            }
        });
    }

    private boolean sameTeam(Config fresh) {
        return Objects.equals(fresh.team(), config.team());
    }

    private String progressLine(Decider.Outcome outcome) {
        List<Task> tasks = board.tasks();
        long done = tasks.stream().filter(t -> t.state() == TaskState.COMPLETED).count();
        long busy = outcome.decision().statuses().stream().filter(s -> s.status() != Status.IDLE).count();
        StringBuilder line = new StringBuilder();
        line.append("agents busy ").append(busy).append('/').append(config.team().agents().size())
                .append(" · tasks done ").append(done).append('/').append(tasks.size()).append(" ·");
        for (AgentSpec a : config.team().agents()) {
            line.append(' ').append(a.name()).append('=');
            line.append(outcome.decision().statusOf(a.name()).map(s -> s.status().name()).orElse("-"));
            tasks.stream().filter(t -> a.name().equals(t.agent())).findFirst().ifPresent(t -> line.append('(').append(t.id()).append(')'));
        }
        return line.toString();
    }

    private String progressKey(Decider.Outcome outcome) {
        Map<TaskState, Long> counts = board.tasks().stream().collect(Collectors.groupingBy(Task::state, Collectors.counting()));
        return counts + "/" + outcome.decision().statuses().stream().filter(s -> s.status() != Status.IDLE).count();
    }

    private String summary() {
        Map<TaskState, Long> counts = board.tasks().stream().collect(Collectors.groupingBy(Task::state, LinkedHashMap::new,
                Collectors.counting()));
        return counts.entrySet().stream().map(e -> e.getValue() + " " + e.getKey().name().toLowerCase(java.util.Locale.ROOT))
                .collect(Collectors.joining(", "));
    }

    @Override
    public void close() {
        workers.shutdownNow();
        team.tmux().close();
    }
}
