package dev.rulemux.loop;

import dev.rulemux.board.TaskBoard;
import dev.rulemux.board.TaskRecord;
import dev.rulemux.config.Config;
import dev.rulemux.config.AgentSpec;
import dev.rulemux.domain.Action;
import dev.rulemux.domain.ActionType;
import dev.rulemux.domain.MergeState;
import dev.rulemux.domain.TaskBranch;
import dev.rulemux.domain.Report;
import dev.rulemux.domain.Status;
import dev.rulemux.domain.TaskTransition;
import dev.rulemux.screen.Observation;
import dev.rulemux.terminal.Pane;
import dev.rulemux.terminal.TerminalException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * A live run's acting: the team is started, the agents' reports are taken, the policy's task transitions applied,
 * its fresh actions carried out (each agent's in order, different agents at once), the agents' rows journaled and
 * due verifications started; the journal is pruned daily.
 */
final class LiveActions implements ActionExecutor {

    /** A day: the journal is pruned this often. */
    private static final long PRUNE_EVERY_MS = 86_400_000L;

    private final Team team;
    private final TaskBoard board;
    private final Deliveries deliveries;
    private final Handoffs handoffs;
    private final EventLog log;
    private final Verifier verifier;
    private final Notifier notifier;
    private final AgentJournal journal;
    private final ExecutorService workers;
    /** Each agent's actions under way (the loop's thread alone reads and changes it). */
    private final Map<String, Future<List<Action>>> running = new java.util.HashMap<>();
    private boolean overlap;
    private final Function<Config, Actuator> actuators;
    private final Worktrees worktrees;
    /** Times the retries of failed git steps. */
    private final java.time.Clock clock;
    private volatile Actuator actuator;
    private long lastPrune = Long.MIN_VALUE / 2;

    /**
     * @param actuators the actuator of a configuration (made again when it is reloaded)
     * @param clock     times the retries of failed git steps
     */
    LiveActions(Config config, Team team, TaskBoard board, Deliveries deliveries, Handoffs handoffs, EventLog log,
                Verifier verifier, Notifier notifier, AgentJournal journal, ExecutorService workers,
                Function<Config, Actuator> actuators, java.time.Clock clock) {
        this.team = team;
        this.board = board;
        this.deliveries = deliveries;
        this.handoffs = handoffs;
        this.log = log;
        this.verifier = verifier;
        this.notifier = notifier;
        this.journal = journal;
        this.workers = workers;
        this.actuators = actuators;
        this.actuator = actuators.apply(config);
        this.clock = clock;
        this.worktrees = new Worktrees(board.branches(), text -> log.action(null, null, text));
    }

    /** Starts the agents that are not running yet (idempotent), saying which. */
    static void startTeam(Team team, EventLog log) {
        List<String> launched;
        try {
            launched = team.start();
        } finally {
            team.drainTold().forEach(t -> log.action(null, null, t));
        }
        if (!launched.isEmpty()) {
            log.decision("started " + String.join(", ", launched) + " in tmux session " + team.session());
        }
    }

    @Override
    public void starting() {
        startTeam(team, log);
    }

    /**
     * Starts the agents whose host was down when the team started, once a link to it is up again; at the first tick
     * and then daily, deletes the journal's events older than the retention's days (tasks and reports, which
     * recovery after a crash needs, are not events and stay).
     */
    @Override
    public void ticking(Config config, long now) {
        startUnreachable();
        if (now - lastPrune < PRUNE_EVERY_MS) {
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

    private void startUnreachable() {
        Map<String, String> waiting = team.unreachable();
        if (waiting.isEmpty()) {
            return;
        }
        java.util.Set<String> up = new java.util.HashSet<>();
        team.terminal().links().stream().filter(dev.rulemux.terminal.Link::up).forEach(l -> up.add(l.host()));
        boolean any = waiting.keySet().stream().anyMatch(a -> team.hostOf(a).map(up::contains).orElse(false));
        if (!any) {
            return; // each tick's look at the panes asks the links to try again, each at its own backoff
        }
        try {
            startTeam(team, log);
        } catch (RuntimeException e) {
            log.warn("cannot start the agents of a host that came back: " + e.getMessage());
        }
    }

    @Override
    public void seen(String agent, Observation seen, Status status, List<TaskRecord> records, long now) {
        deliveries.observed(agent, seen, status, records, now);
    }

    @Override
    public List<Action> execute(Config config, Tick.Result result, List<Action> fresh) {
        for (Report r : result.reports()) {
            log.report(r.agent(), r.task(), (r.agent() == null ? "a report" : r.agent() + " reports") + " " + r.task() + " "
                    + r.outcome().name().toLowerCase(java.util.Locale.ROOT) + (r.note().isEmpty() ? "" : ": " + r.note()));
            board.consumed(r.seq());
        }
        applyTransitions(result.outcome().decision().transitions(), result.records());
        List<Action> failed = carryOut(config, fresh, result.panes());
        journal.record(result.outcome(), result.snapshots(), result.now());
        verifier.startDue(config, board.records(), verifyTimeout(config));
        return failed;
    }

    @Override
    public void reloaded(Config config) {
        cleanLeftWorktrees(config);
        actuator = actuators.apply(config);
        board.declare(config.tasks());
    }

    @Override
    public String noWindowsAdvice() {
        return "";
    }

    private static Duration verifyTimeout(Config config) {
        String knob = config.policy().values().get("verify_timeout");
        return knob == null ? Duration.ofMinutes(10) : dev.rulemux.domain.Durations.parse(knob);
    }

    private void applyTransitions(List<TaskTransition> transitions, List<TaskRecord> records) {
        Map<String, TaskRecord> byId = records.stream().collect(Collectors.toMap(TaskRecord::id, r -> r));
        for (TaskTransition t : transitions) {
            TaskRecord task = byId.get(t.task());
            if (task == null) {
                continue;
            }
            String agent = task.agent();
            String text = t.task() + " " + task.state() + " -> " + t.to()
                    + (t.target() == null ? "" : " (for " + t.target() + ")") + ": " + t.reason();
            // where the board keeps the journal, the move and its event are one change: a crash keeps both or neither
            TaskBoard.Entry entry = new TaskBoard.Entry(agent, text);
            boolean moved = t.target() != null ? board.handTo(t.task(), t.target(), t.reason(), entry)
                    : board.move(t.task(), t.to(), agent, t.reason(), entry);
            if (moved) {
                log.transition(agent, t.task(), text, !board.journalsMoves());
                if (t.to().finished()) {
                    handoffs.settled(t.task());
                }
            } else {
                log.note("ignored transition of " + t.task() + " from " + task.state() + " to " + t.to() + " (not allowed)");
            }
        }
    }

    @Override
    public void overlapActions() {
        overlap = true;
    }

    @Override
    public void drain() {
        awaitActions();
    }

    /**
     * Each agent's actions in order; different agents at once (a paste waits for the CLI to draw it). With
     * {@link #overlapActions} the tick does not wait for them: an agent whose last actions still run gets none now
     * (they count as failed, so the policy's next decision tries them again), and the actions that failed after
     * their tick had returned are given back at the next one.
     */
    private List<Action> carryOut(Config config, List<Action> fresh, Map<String, Pane> panes) {
        Map<String, List<Action>> byAgent = new LinkedHashMap<>();
        fresh.forEach(a -> byAgent.computeIfAbsent(a.agent(), k -> new ArrayList<>()).add(a));
        List<Action> failed = new ArrayList<>(endedActions());
        Actuator acting = actuator;
        byAgent.forEach((agent, list) -> {
            if (running.containsKey(agent)) {
                failed.addAll(list);   // still at its last ones: decided again at the next tick, not queued behind them
            } else {
                running.put(agent, workers.submit(() -> act(acting, config, agent, list, panes)));
            }
        });
        if (!overlap) {
            failed.addAll(awaitActions());
        }
        return List.copyOf(failed);
    }

    /** The failures of the agents' actions that have ended since the last look; those agents can be given more. */
    private List<Action> endedActions() {
        List<Action> failed = new ArrayList<>();
        for (java.util.Iterator<Map.Entry<String, Future<List<Action>>>> it = running.entrySet().iterator(); it.hasNext(); ) {
            Future<List<Action>> f = it.next().getValue();
            if (f.isDone()) {
                failed.addAll(outcome(f));
                it.remove();
            }
        }
        return failed;
    }

    /** Waits for every agent's actions under way; their failures. */
    private List<Action> awaitActions() {
        List<Action> failed = new ArrayList<>();
        for (Future<List<Action>> f : running.values()) {
            failed.addAll(outcome(f));
        }
        running.clear();
        return failed;
    }

    private List<Action> outcome(Future<List<Action>> f) {
        try {
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (java.util.concurrent.ExecutionException e) {
            log.warn("an action failed: " + e.getCause());
        }
        return List.of();
    }

    /** Carries out one agent's actions in order; the ones that failed. */
    private List<Action> act(Actuator acting, Config config, String agent, List<Action> list, Map<String, Pane> panes) {
        List<Action> failed = new ArrayList<>();
        for (Action a : list) {
            Pane pane = panes.get(agent);
            try {
                if (a.type().gitWork()) {
                    gitWork(config, a);
                    continue;
                }
                if (pane == null && a.type().touchesPane()) {
                    throw new TerminalException("no window for " + agent + " in session " + team.session());
                }
                if (a.type() == ActionType.SEND_PROMPT) {
                    openBranch(config, a);
                }
                acting.carryOut(a, pane);
            } catch (RuntimeException e) {
                failed.add(a);
                log.warn("could not " + a.type().wireName() + " " + agent + ": " + e.getMessage());
            }
        }
        return failed;
    }

    /**
     * The worktrees of agents no longer in agents.yaml (or no longer isolated) are removed when clean and merged;
     * the others are kept, and said so.
     */
    private void cleanLeftWorktrees(Config config) {
        try {
            for (String line : Worktrees.clean(config, board.branches(), false)) {
                if (line.startsWith("kept")) {
                    log.warn(line);
                } else {
                    log.action(null, null, line);
                }
            }
        } catch (RuntimeException e) {
            log.warn("cannot clean the worktrees of removed agents: " + e.getMessage());
        }
    }

    /** An agent in a worktree starts each task on the task's own branch (made before the prompt is typed). */
    private void openBranch(Config config, Action a) {
        AgentSpec agent = config.team().agent(a.agent()).orElse(null);
        if (agent == null || !agent.isolation().worktree()) {
            return;
        }
        String title = board.spec(a.task()).map(dev.rulemux.config.TaskSpec::title).orElse("");
        TaskBranch b = worktrees.openBranch(config, agent, a.task(), title);
        log.action(agent.name(), a.task(), a.task() + " is done on " + b.branch() + " in " + agent.name() + "'s worktree (from "
                + b.base() + ")");
    }

    /** After this many failed git steps in a row on one task's branch, the failure is recorded for the policy. */
    static final int GIT_ATTEMPTS = 5;
    /** A failed git step on a task's branch is tried again no sooner than this. */
    static final long GIT_RETRY_MS = 2_000;

    /** Failed git steps in a row, and when the last one failed, by task. */
    private final Map<String, long[]> gitFailures = new java.util.concurrent.ConcurrentHashMap<>();

    /**
     * A task's branch merged into its base, or left for a person, as the policy decided (rules/isolation.drl). A git
     * step that fails (a lock held by the agent's own git, a timeout) is tried again, every {@link #GIT_RETRY_MS} at
     * most; after {@link #GIT_ATTEMPTS} failures in a row the branch is recorded as failed, for the policy to decide.
     */
    private void gitWork(Config config, Action a) {
        long[] failed = gitFailures.get(a.task());
        long now = clock.millis();
        if (failed != null && now - failed[1] < GIT_RETRY_MS) {
            throw new IllegalStateException("the last git step on " + a.task() + "'s branch failed moments ago; tried again shortly");
        }
        try {
            doGitWork(config, a);
            gitFailures.remove(a.task());
        } catch (RuntimeException e) {
            long[] count = gitFailures.merge(a.task(), new long[] {1, now}, (old, one) -> new long[] {old[0] + 1, now});
            if (count[0] >= GIT_ATTEMPTS) {
                gitFailures.remove(a.task());
                board.branches().branch(a.task()).ifPresent(b -> board.branches().put(
                        b.with(MergeState.FAILED, List.of(), e.getMessage() == null ? e.toString() : e.getMessage())));
            }
            throw e;
        }
    }

    private void doGitWork(Config config, Action a) {
        AgentSpec agent = config.team().agent(a.agent()).orElseThrow(() -> new IllegalStateException(a.agent() + " is not in agents.yaml"));
        String title = board.spec(a.task()).map(dev.rulemux.config.TaskSpec::title).orElse("");
        if (a.type() == ActionType.MERGE_BRANCH) {
            log.action(agent.name(), a.task(), "merging: " + a.reason());
            TaskBranch b = worktrees.merge(config, agent, a.task(), title);
            if (b.merge() == MergeState.CONFLICT) {
                log.action(agent.name(), a.task(), b.branch() + " conflicts with " + b.base() + " in " + String.join(", ", b.conflicts())
                        + ": nothing was merged");
            } else {
                log.action(agent.name(), a.task(), b.branch() + (b.merge() == MergeState.MERGED ? " merged into " : " left for a person to merge into ")
                        + b.base() + ": " + b.note());
            }
        } else {
            TaskBranch b = worktrees.leave(config, agent, a.task(), title);
            log.action(agent.name(), a.task(), b.branch() + " left for a person (" + a.reason() + "): " + b.note());
        }
    }

    @Override
    public void close() {
        verifier.close();
        notifier.close();
    }
}
