package dev.rulemux.loop;

import dev.rulemux.board.Journal;
import dev.rulemux.board.TaskBoard;
import dev.rulemux.board.TaskRecord;
import dev.rulemux.board.TaskRecords;
import dev.rulemux.config.AgentSpec;
import dev.rulemux.config.Config;
import dev.rulemux.config.ConfigException;
import dev.rulemux.config.ConfigLoader;
import dev.rulemux.config.Problem;
import dev.rulemux.domain.Action;
import dev.rulemux.domain.ActionType;
import dev.rulemux.domain.AgentStatus;
import dev.rulemux.domain.PaneSnapshot;
import dev.rulemux.domain.Report;
import dev.rulemux.domain.Status;
import dev.rulemux.domain.StatusSince;
import dev.rulemux.domain.Task;
import dev.rulemux.domain.TaskState;
import dev.rulemux.domain.TaskTransition;
import dev.rulemux.rules.LivePolicy;
import dev.rulemux.rules.PolicyFailure;
import dev.rulemux.rules.RuleError;
import dev.rulemux.screen.Observation;
import dev.rulemux.screen.Readings;
import dev.rulemux.terminal.Pane;
import dev.rulemux.terminal.TerminalException;
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
 * each with a timeout), put the facts before the policy (screens, tasks, prompts in flight, agents' reports,
 * verification results), apply the task transitions it decided and carry out the actions that are new since
 * the last tick (an action the policy keeps deciding is carried out once; the policy's own cooldowns make a
 * retry a new decision). With {@code dryRun}, nothing is sent and nothing is changed: each decided action is
 * printed once, when it first appears.
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
     * @param untilReady     stop once every agent waits for input (for {@code rulemux start})
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
                    Set.of(ActionType.ANSWER_DIALOG, ActionType.ALERT, ActionType.NEEDS_INPUT), true, maxTime);
        }
    }

    /** What identifies an action across ticks (its reason may word the same decision differently). */
    private record ActionKey(String type, String agent, String task, String target, List<String> keys) {
        static ActionKey of(Action a) {
            return new ActionKey(a.type().wireName(), a.agent(), a.task(), a.target(), a.keys());
        }
    }

    private record Since(Status status, long at) {
    }

    /** How many lines of each agent's screen the journal keeps (for the dashboards). */
    private static final int SCREEN_LINES = 12;

    /**
     * An agent's row is written at least this often, so that {@code status} and the dashboards can tell a
     * running loop (rows younger than 10 s) from one that stopped.
     */
    static final long HEARTBEAT_MS = 4_000;

    private final Options options;
    private final Team team;
    private final TaskBoard board;
    private final Deliveries deliveries;
    private final ScreenHistory history = new ScreenHistory();
    private final EventLog log;
    private final Clock clock;
    private final LivePolicy policy;
    private final Readings readings = new Readings();
    private List<TaskRecord> lastRecords;
    private List<Task> lastTaskFacts = List.of();
    private final ExecutorService workers;
    private final ConfigWatch watch;
    private final Verifier verifier;
    private final Limits limits = new Limits(java.time.ZoneId.systemDefault());
    private final Handoffs handoffs;
    private final Notifier notifier;
    private Config config;
    private Actuator actuator;
    private Set<ActionKey> standing = Set.of();
    private final Map<String, Since> lastStatus = new HashMap<>();
    private final Map<String, Journal.AgentState> lastJournaled = new HashMap<>();
    private final List<java.util.function.Consumer<Config>> afterTick = new java.util.concurrent.CopyOnWriteArrayList<>();
    private volatile boolean stopping;
    /** A day: the journal is pruned this often. */
    private static final long PRUNE_EVERY_MS = 86_400_000L;
    private long lastPrune = Long.MIN_VALUE / 2;
    private boolean sessionMissingReported;

    public RunLoop(Config config, LivePolicy policy, Team team, TaskBoard board, EventLog log, Clock clock, Options options) {
        this.config = config;
        this.policy = policy;
        this.team = team;
        this.board = board;
        this.log = log;
        this.clock = clock;
        this.options = options;
        this.deliveries = new Deliveries(board);
        this.notifier = new Notifier(config.team().notifyCommand(), config.dir(), log);
        this.handoffs = new Handoffs(config.dir());
        this.actuator = new Actuator(config, team, board, deliveries, limits, handoffs, log, notifier, clock, team.sleeper());
        this.verifier = new Verifier(board, log, clock);
        this.workers = Executors.newFixedThreadPool(Math.max(2, config.team().agents().size()), r -> {
            Thread t = new Thread(r, "rulemux-worker");
            t.setDaemon(true);
            return t;
        });
        this.watch = new ConfigWatch(config.sources());
    }

    /** Starts the agents that are not running yet (idempotent; {@link #run} does it first). */
    public void startTeam() {
        List<String> launched = team.start();
        if (!launched.isEmpty()) {
            log.decision("started " + String.join(", ", launched) + " in tmux session " + team.session());
        }
    }

    /** Asks the loop to stop after the tick under way (Ctrl-C). The agents keep running. */
    public void stop() {
        stopping = true;
    }

    /**
     * Runs ticks until stopped, or, with {@code exitWhenDone}, until no task is pending, in flight or verifying.
     *
     * @return the exit code: 0, or 1 when {@code untilReady} timed out
     */
    public int run() {
        long deadline = options.maxTime() == null ? Long.MAX_VALUE : clock.millis() + options.maxTime().toMillis();
        if (!options.dryRun()) {
            startTeam();
        } else {
            log.decision("dry run: nothing will be sent to any agent, and no task will change");
        }
        while (!stopping) {
            long started = clock.millis();
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
            if (clock.millis() > deadline) {
                log.endProgress();
                if (options.untilReady()) {
                    log.warn("not every agent is ready after " + options.maxTime().toSeconds() + " s: " + statuses());
                    return 1;
                }
                log.decision("time limit reached (" + summary() + ")");
                return 0;
            }
            long left = options.interval().toMillis() - (clock.millis() - started);
            if (left > 0) {
                team.sleeper().sleep(Duration.ofMillis(left));
                if (Thread.currentThread().isInterrupted()) {
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
        for (String news : board.catchUp()) {
            log.alert(null, null, news);
        }
        reloadIfChanged();
        long now = clock.millis();
        pruneJournal(now);
        Map<String, Pane> panes = panes();
        Map<String, PaneSnapshot> snapshots = capture(panes, now);
        Map<String, Observation> seen = Decider.observe(config, snapshots, readings);
        List<TaskRecord> records = board.records();
        if (!options.dryRun()) {
            seen.forEach((agent, observation) -> deliveries.observed(agent, observation, status(agent), records));
        }
        List<TaskRecord> current = board.records();
        List<String> agents = config.team().agents().stream().map(AgentSpec::name).toList();
        List<Report> reports = board.reports();
        List<Object> more = new ArrayList<>(reports);
        more.addAll(board.verifications());
        more.addAll(history(now));
        more.addAll(deliveries.restartFacts(now));
        more.addAll(deliveries.promptFailures(current));
        more.addAll(handoffs.facts());
        seen.forEach((agent, observation) -> limits.observe(agent, observation, now).ifPresent(more::add));
        if (current != lastRecords) {
            // the board gives the same list while no task row moved: the policy's tasks are then those of the last tick
            lastRecords = current;
            lastTaskFacts = TaskRecords.facts(current, now);
        }
        Decider.Input input = new Decider.Input(snapshots, lastTaskFacts, deliveries.facts(current, now),
                deliveries.activity(agents, now), now, more);
        Decider.Outcome outcome;
        try {
            outcome = Decider.decide(config, policy.session(), input, seen, false);
        } catch (PolicyFailure e) {
            log.warn("the policy failed this tick, nothing was done: " + e.getMessage());
            return;
        }
        reportStatuses(outcome, now);
        if (!options.dryRun()) {
            for (Report r : reports) {
                log.report(r.agent(), r.task(), (r.agent() == null ? "a report" : r.agent() + " reports") + " " + r.task() + " "
                        + r.outcome().name().toLowerCase(java.util.Locale.ROOT) + (r.note().isEmpty() ? "" : ": " + r.note()));
                board.consumed(r.seq());
            }
            applyTransitions(outcome.decision().transitions(), current);
        }
        carryOut(outcome.decision().actions(), panes);
        if (!options.dryRun()) {
            journalAgents(outcome, snapshots, now);
        }
        if (!options.dryRun()) {
            verifier.startDue(config, board.records(), verifyTimeout());
        }
        log.progress(progressLine(outcome), progressKey(outcome));
        for (java.util.function.Consumer<Config> listener : afterTick) {
            try {
                listener.accept(config);
            } catch (RuntimeException e) {
                log.warn("after the tick: " + e.getMessage());
            }
        }
    }

    /**
     * Runs {@code listener} with the current configuration at the end of every tick that got to decide (for
     * publishing the state, such as {@code ORCHESTRATION_STATUS.md}); its failures are logged, never fatal.
     */
    public void afterEachTick(java.util.function.Consumer<Config> listener) {
        afterTick.add(listener);
    }

    private Duration verifyTimeout() {
        String knob = config.policy().values().get("verify_timeout");
        return knob == null ? Duration.ofMinutes(10) : dev.rulemux.domain.Durations.parse(knob);
    }

    public TaskBoard board() {
        return board;
    }

    /** Each agent's status at the last tick. */
    public Map<String, Status> statuses() {
        Map<String, Status> out = new LinkedHashMap<>();
        lastStatus.forEach((agent, since) -> out.put(agent, since.status()));
        return out;
    }

    private Status status(String agent) {
        Since s = lastStatus.get(agent);
        return s == null ? null : s.status();
    }

    private List<StatusSince> history(long now) {
        List<StatusSince> out = new ArrayList<>();
        lastStatus.forEach((agent, since) -> out.add(new StatusSince(agent, since.status(), Math.max(0, now - since.at()))));
        return out;
    }

    /**
     * Every agent waits for input (or for a person: an approval, a limit). A screen still changing right
     * after launch is not ready: a CLI draws its startup dialog a moment after it starts.
     */
    private boolean ready() {
        return config.team().agents().stream().allMatch(a -> {
            Status s = status(a.name());
            return s == Status.IDLE || s == Status.AWAITING_SUBMIT || s == Status.AWAITING_APPROVAL
                    || s == Status.RATE_LIMITED || s == Status.STUCK;
        });
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
        } catch (TerminalException e) {
            log.warn("cannot list the panes: " + e.getMessage());
            return Map.of();
        }
    }

    private Map<String, PaneSnapshot> capture(Map<String, Pane> panes, long now) {
        Map<String, Future<String>> captures = new LinkedHashMap<>();
        panes.forEach((agent, pane) -> captures.put(agent, workers.submit(() -> team.terminal().capture(pane.id()))));
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

    /**
     * At the first tick and then daily: deletes the journal's events older than the retention's days (tasks and
     * reports, which recovery after a crash needs, are not events and stay).
     */
    private void pruneJournal(long now) {
        if (options.dryRun() || now - lastPrune < PRUNE_EVERY_MS) {
            return;
        }
        lastPrune = now;
        int days = config.team().retention().eventsKeptDays();
        try {
            int pruned = log.journal().pruneEvents(now - days * PRUNE_EVERY_MS);
            if (pruned > 0) {
                log.note("pruned " + pruned + " journal events older than " + days + " days");
            }
        } catch (RuntimeException e) {
            log.warn("cannot prune the journal: " + e.getMessage());
        }
    }

    private void reportStatuses(Decider.Outcome outcome, long now) {
        for (AgentStatus s : outcome.decision().statuses()) {
            Since before = lastStatus.get(s.agent());
            if (before == null || before.status() != s.status()) {
                lastStatus.put(s.agent(), new Since(s.status(), now));
                log.status(s.agent(), before == null ? "(new)" : before.status().name(), s.status().name(), s.reason());
            }
        }
    }

    /**
     * Records each agent for other processes, with the tasks as this tick left them: a task it just finished is off it,
     * a task just sent to it is on it.
     */
    private void journalAgents(Decider.Outcome outcome, Map<String, PaneSnapshot> snapshots, long now) {
        List<TaskRecord> records = board.records();
        for (AgentStatus s : outcome.decision().statuses()) {
            journalAgent(s, outcome, snapshots.get(s.agent()), records, now);
        }
    }

    /** Keeps each agent's state in the journal for other processes (status, dashboards), when it changes. */
    private void journalAgent(AgentStatus s, Decider.Outcome outcome, PaneSnapshot snapshot, List<TaskRecord> records,
                              long now) {
        String task = records.stream().filter(r -> s.agent().equals(r.agent()) && r.state().inFlight())
                .map(TaskRecord::id).findFirst().orElse(null);
        Integer context = outcome.observations().get(s.agent()) == null ? null
                : outcome.observations().get(s.agent()).contextUsedPercent().orElse(null);
        List<String> lines = snapshot == null ? List.of() : lastLines(snapshot.text());
        Journal.AgentState state = new Journal.AgentState(s.agent(), s.status(), s.reason(), task, context,
                lastStatus.get(s.agent()).at(), now, lines);
        Journal.AgentState prior = lastJournaled.get(s.agent());
        boolean changed = prior == null || prior.status() != state.status() || !Objects.equals(prior.task(), task)
                || !Objects.equals(prior.contextUsed(), context) || !prior.reason().equals(state.reason())
                || now - prior.updatedAt() > 2000 && !prior.screen().equals(lines)
                || now - prior.updatedAt() > HEARTBEAT_MS;
        if (changed) {
            log.journal().agent(state);
            lastJournaled.put(s.agent(), state);
        }
    }

    private static List<String> lastLines(String text) {
        List<String> lines = new ArrayList<>();
        for (String l : text.split("\n")) {
            lines.add(l.stripTrailing());
        }
        while (!lines.isEmpty() && lines.get(lines.size() - 1).isEmpty()) {
            lines.remove(lines.size() - 1);
        }
        return List.copyOf(lines.subList(Math.max(0, lines.size() - SCREEN_LINES), lines.size()));
    }

    private void applyTransitions(List<TaskTransition> transitions, List<TaskRecord> records) {
        Map<String, TaskRecord> byId = records.stream().collect(Collectors.toMap(TaskRecord::id, r -> r));
        for (TaskTransition t : transitions) {
            TaskRecord task = byId.get(t.task());
            if (task == null) {
                continue;
            }
            String agent = task.agent();
            boolean moved = t.target() != null ? board.handTo(t.task(), t.target(), t.reason())
                    : board.move(t.task(), t.to(), agent, t.reason());
            if (moved) {
                log.transition(agent, t.task(), t.task() + " " + task.state() + " -> " + t.to()
                        + (t.target() == null ? "" : " (for " + t.target() + ")") + ": " + t.reason());
                if (t.to().finished()) {
                    handoffs.settled(t.task());
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
                        if (pane == null && a.type().touchesPane()) {
                            throw new TerminalException("no window for " + agent + " in session " + team.session());
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
            if (!Objects.equals(fresh.team(), config.team())) {
                log.warn("agents.yaml changed: restart the run to apply changes to the team; the rest is applied");
                fresh = new Config(fresh.sources(), config.team(), fresh.tasks(), fresh.profiles(), fresh.policy(),
                        fresh.prompts(), fresh.warnings());
            }
            config = fresh;
            actuator = new Actuator(config, team, board, deliveries, limits, handoffs, log, notifier, clock, team.sleeper());
            if (!options.dryRun()) {
                board.declare(fresh.tasks());
            }
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
            tasks.stream().filter(t -> a.name().equals(t.agent()) && t.inFlight()).findFirst()
                    .ifPresent(t -> line.append('(').append(t.id()).append(')'));
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
        verifier.close();
        notifier.close();
        team.terminal().close();
    }
}
