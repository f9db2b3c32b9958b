package dev.rulemux.loop;

import dev.rulemux.board.TaskBoard;
import dev.rulemux.config.Config;
import dev.rulemux.domain.Action;
import dev.rulemux.domain.ActionType;
import dev.rulemux.domain.Status;
import dev.rulemux.rules.LivePolicy;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * rulemux's main job, a thin loop over its parts. Each tick: pick up edited config and rules ({@link Reloader}),
 * perceive and decide ({@link Tick}: every agent's pane captured, the facts put before the policy), keep only the
 * actions that are new since the last tick ({@link StandingActions}: an action the policy keeps deciding is carried
 * out once; the policy's own cooldowns make a retry a new decision), act on them ({@link ActionExecutor}: a live
 * run carries them out and applies the task transitions, a dry run prints each action once and changes nothing),
 * and show the progress line.
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

    /**
     * An agent's row is written at least this often, so that {@code status} and the dashboards can tell a
     * running loop (rows younger than 10 s) from one that stopped.
     */
    static final long HEARTBEAT_MS = AgentJournal.HEARTBEAT_MS;
    /** How often a sleeping loop looks at the hook spool for a new event (a stat of one file). */
    static final long WAKE_POLL_MS = 20;

    private final Options options;
    private final Team team;
    private final TaskBoard board;
    private final EventLog log;
    private final Clock clock;
    private final Sleeper sleeper;
    private final Reloader reloader;
    private final Tick tick;
    private final ActionExecutor executor;
    private final StandingActions standing;
    private final AgentStatuses statuses;
    private final ProgressLine progress;
    private final ExecutorService workers;
    private final List<java.util.function.Consumer<Config>> afterTick = new java.util.concurrent.CopyOnWriteArrayList<>();
    private volatile boolean stopping;
    /** The last tick moved a task (its transitions were applied after its decisions: the next tick sees them). */
    private boolean tasksMoved;
    /** The last tick followed the one before it at once; the next waits for the interval whatever happened. */
    private boolean followedUp;

    private RunLoop(Options options, Team team, TaskBoard board, EventLog log, Clock clock, Sleeper sleeper,
                    Reloader reloader, Tick tick, ActionExecutor executor, AgentStatuses statuses, ExecutorService workers) {
        this.options = options;
        this.team = team;
        this.board = board;
        this.log = log;
        this.clock = clock;
        this.sleeper = sleeper;
        this.reloader = reloader;
        this.tick = tick;
        this.executor = executor;
        this.standing = new StandingActions(options.allowed());
        this.statuses = statuses;
        this.progress = new ProgressLine(board);
        this.workers = workers;
    }

    /**
     * Assembles a run of {@code team} from its parts: the tick, the live or dry-run acting, the reloader. For the
     * composition root ({@code dev.rulemux.App}), which gives every run its clock and sleeper.
     */
    public static RunLoop of(Config config, LivePolicy policy, Team team, TaskBoard board, EventLog log, Clock clock,
                             Sleeper sleeper, Options options) {
        // one thread per agent for its actions and one for its capture: a capture never waits behind a paste
        ExecutorService workers = Executors.newFixedThreadPool(Math.max(2, 2 * config.team().agents().size()), r -> {
            Thread t = new Thread(r, "rulemux-worker");
            t.setDaemon(true);
            return t;
        });
        Deliveries deliveries = new Deliveries(board);
        Limits limits = new Limits(java.time.ZoneId.systemDefault());
        Handoffs handoffs = new Handoffs(config.dir());
        AgentStatuses statuses = new AgentStatuses(log);
        ActionExecutor executor;
        if (options.dryRun()) {
            executor = new DryRunActions(log);
        } else {
            Notifier notifier = new Notifier(config.team().notifyCommand(), config.dir(), log);
            executor = new LiveActions(config, team, board, deliveries, handoffs, log, new Verifier(board, log, clock), notifier,
                    new AgentJournal(board, log, statuses), workers, c -> new Actuator(c, team, board, deliveries, limits,
                    handoffs, log, notifier, clock, sleeper), clock);
        }
        Tick tick = new Tick(team, board, policy, deliveries, limits, handoffs, statuses, log, workers,
                options.captureTimeout(), executor.noWindowsAdvice());
        Reloader reloader = new Reloader(config, policy, log, executor::reloaded);
        return new RunLoop(options, team, board, log, clock, sleeper, reloader, tick, executor, statuses, workers);
    }

    /** Starts the agents that are not running yet (idempotent; {@link #run} does it first in a live run). */
    public void startTeam() {
        LiveActions.startTeam(team, log);
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
        // A paste into one agent's CLI does not hold up the others' ticks (ActionExecutor.overlapActions). On the
        // wall clock only: on a spec's fake clock an action's sleep would move the time of the ticks running beside it.
        if (sleeper == Sleeper.REAL) {
            executor.overlapActions();
        }
        try {
            return loop();
        } finally {
            executor.drain();
        }
    }

    private int loop() {
        long deadline = options.maxTime() == null ? Long.MAX_VALUE : clock.millis() + options.maxTime().toMillis();
        executor.starting();
        while (!stopping) {
            long started = clock.millis();
            tick();
            if (options.exitWhenDone() && board.done()) {
                log.endProgress();
                log.decision("all tasks are done: " + progress.summary());
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
                log.decision("time limit reached (" + progress.summary() + ")");
                return 0;
            }
            if (tasksMoved && !followedUp) {
                // a task just ended: the tick that dispatches the next one comes at once, not an interval later
                followedUp = true;
                continue;
            }
            followedUp = false;
            long left = options.interval().toMillis() - (clock.millis() - started);
            if (left > 0) {
                awaitNextTick(left);
                if (Thread.currentThread().isInterrupted()) {
                    break;
                }
            }
        }
        log.endProgress();
        log.decision("stopped; the agents keep running (" + progress.summary() + ")");
        return 0;
    }

    /**
     * Sleeps {@code ms}, until the next tick is due; where agents' CLIs report hook events, it looks at the hook spool
     * every {@link #WAKE_POLL_MS} and returns as soon as an event was appended, so a turn's end is acted on at once
     * rather than at the next tick (the decision stays the policy's: the tick that follows reads the event).
     */
    private void awaitNextTick(long ms) {
        if (!tick.hooksWired()) {
            sleeper.sleep(Duration.ofMillis(ms));
            return;
        }
        long until = clock.millis() + ms;
        for (long rest = ms; rest > 0 && !stopping; rest = until - clock.millis()) {
            sleeper.sleep(Duration.ofMillis(Math.min(rest, WAKE_POLL_MS)));
            if (Thread.currentThread().isInterrupted() || tick.hookEventWaiting()) {
                return;
            }
        }
    }

    /** One tick; public for tests, which drive the loop step by step. */
    public void tick() {
        for (String news : board.catchUp()) {
            log.alert(null, null, news);
        }
        tasksMoved = false;
        reloader.reloadIfChanged();
        Config config = reloader.config();
        long now = clock.millis();
        executor.ticking(config, now);
        Optional<Tick.Result> result = tick.run(config, now, executor);
        if (result.isEmpty()) {
            return;
        }
        Decider.Outcome outcome = result.get().outcome();
        tasksMoved = !outcome.decision().transitions().isEmpty();
        List<Action> fresh = standing.fresh(outcome.decision().actions());
        standing.settle(executor.execute(config, result.get(), fresh));
        log.progress(progress.line(config, outcome), progress.key(outcome));
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

    public TaskBoard board() {
        return board;
    }

    /** Each agent's status at the last tick. */
    public Map<String, Status> statuses() {
        return statuses.all();
    }

    /**
     * Every agent waits for input (or for a person: an approval, a limit). A screen still changing right
     * after launch is not ready: a CLI draws its startup dialog a moment after it starts.
     */
    private boolean ready() {
        return reloader.config().team().agents().stream().allMatch(a -> {
            Status s = statuses.of(a.name());
            return s == Status.IDLE || s == Status.AWAITING_SUBMIT || s == Status.AWAITING_APPROVAL
                    || s == Status.RATE_LIMITED || s == Status.STUCK;
        });
    }

    @Override
    public void close() {
        workers.shutdownNow();
        executor.close();
        team.terminal().close();
    }
}
