package dev.rulemux.loop;

import dev.rulemux.board.TaskBoard;
import dev.rulemux.board.TaskRecord;
import dev.rulemux.board.TaskRecords;
import dev.rulemux.config.AgentSpec;
import dev.rulemux.config.Config;
import dev.rulemux.domain.PaneSnapshot;
import dev.rulemux.domain.Report;
import dev.rulemux.domain.Status;
import dev.rulemux.domain.Task;
import dev.rulemux.rules.LivePolicy;
import dev.rulemux.rules.PolicyFailure;
import dev.rulemux.screen.Observation;
import dev.rulemux.screen.Readings;
import dev.rulemux.terminal.Pane;
import dev.rulemux.terminal.TerminalException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * One tick's perceiving and deciding, nothing carried out: capture every agent's pane (all at once, each with a
 * timeout), read the screens, put the facts before the policy (screens, tasks, prompts in flight, agents' reports,
 * verification results, limits, restarts, handoff notes) and return what it decided, with what it was decided from.
 */
final class Tick {

    /**
     * What one tick saw and what the policy decided from it.
     *
     * @param now       the tick's time
     * @param panes     the agents' panes, by agent
     * @param snapshots the agents' screens, by agent (an agent whose capture failed is absent)
     * @param records   the tasks as the policy saw them
     * @param reports   the agents' reports put before the policy
     * @param outcome   the decision and the observations it was made from
     */
    record Result(long now, Map<String, Pane> panes, Map<String, PaneSnapshot> snapshots, List<TaskRecord> records,
                  List<Report> reports, Decider.Outcome outcome) {
    }

    /** Told what each screen showed, before the policy decides (a live run learns from it which prompts were taken). */
    interface Sightings {
        void seen(String agent, Observation seen, Status status, List<TaskRecord> records, long now);
    }

    private final Team team;
    private final TaskBoard board;
    private final LivePolicy policy;
    private final Deliveries deliveries;
    private final Limits limits;
    private final Handoffs handoffs;
    private final AgentStatuses statuses;
    private final EventLog log;
    private final ExecutorService workers;
    private final Duration captureTimeout;
    /** Said after the warning that the session has no agent windows. */
    private final String noWindowsAdvice;
    private final ScreenHistory history = new ScreenHistory();
    private final Readings readings = new Readings();
    private List<TaskRecord> lastRecords;
    private List<Task> lastTaskFacts = List.of();
    private boolean sessionMissingReported;
    /** The agents' hook events (made at the first tick, from the config directory). */
    private HookFeed hooks;
    private volatile boolean hooksWired;

    Tick(Team team, TaskBoard board, LivePolicy policy, Deliveries deliveries, Limits limits, Handoffs handoffs,
         AgentStatuses statuses, EventLog log, ExecutorService workers, Duration captureTimeout, String noWindowsAdvice) {
        this.team = team;
        this.board = board;
        this.policy = policy;
        this.deliveries = deliveries;
        this.limits = limits;
        this.handoffs = handoffs;
        this.statuses = statuses;
        this.log = log;
        this.workers = workers;
        this.captureTimeout = captureTimeout;
        this.noWindowsAdvice = noWindowsAdvice;
    }

    /** Whether some agent's CLI may report hook events (its profile has {@code hooks:}), as of the last tick. */
    boolean hooksWired() {
        return hooksWired;
    }

    /** Whether an agent's CLI reported a hook event since the last tick read them. */
    boolean hookEventWaiting() {
        HookFeed feed = hooks;
        return feed != null && feed.unread();
    }

    /** Perceives and decides at {@code now}; empty when the policy failed (then nothing is to be done this tick). */
    Optional<Result> run(Config config, long now, Sightings sightings) {
        Map<String, Pane> panes = panes();
        Map<String, PaneSnapshot> snapshots = capture(panes, now);
        Map<String, Observation> seen = Decider.observe(config, snapshots, readings);
        List<TaskRecord> records = board.records();
        seen.forEach((agent, observation) -> sightings.seen(agent, observation, statuses.of(agent), records, now));
        if (hooks == null) {
            hooks = new HookFeed(config.dir(), log);
        }
        hooksWired = config.team().agents().stream().anyMatch(a -> config.profileOf(a).hooks() != dev.rulemux.config.Profile.Hooks.NONE);
        List<dev.rulemux.domain.HookEvent> hooked = hooks.facts(team.launchedAt(), records, deliveries);
        List<TaskRecord> current = board.records();
        List<String> agents = config.team().agents().stream().map(AgentSpec::name).toList();
        takeTerminalReports(config, now);
        List<Report> reports = board.reports();
        List<Object> more = new ArrayList<>(reports);
        more.addAll(hostsDown(config, now));
        more.addAll(board.verifications());
        more.addAll(statuses.facts());
        more.addAll(deliveries.restartFacts(now));
        more.addAll(deliveries.promptFailures(current));
        more.addAll(handoffs.facts());
        more.addAll(hooked);
        more.addAll(deliveries.turnsOnScreen(current));
        seen.forEach((agent, observation) -> limits.observe(agent, observation, now).ifPresent(more::add));
        if (current != lastRecords) {
            // the board gives the same list while no task row moved: the policy's tasks are then those of the last tick
            lastRecords = current;
            lastTaskFacts = TaskRecords.facts(current, now);
        }
        List<dev.rulemux.domain.TaskBranch> branches = board.branches().branches();
        more.addAll(Worktrees.facts(config, current));
        more.addAll(branches);
        Decider.Input input = new Decider.Input(snapshots, checkedBeforeCompletion(lastTaskFacts, branches), deliveries.facts(current, now),
                deliveries.activity(agents, now), now, more);
        Decider.Outcome outcome;
        try {
            outcome = Decider.decide(config, policy.session(), input, seen, false);
        } catch (PolicyFailure e) {
            log.warn("the policy failed this tick, nothing was done: " + e.getMessage());
            return Optional.empty();
        }
        statuses.decided(outcome.decision().statuses(), now);
        return Optional.of(new Result(now, panes, snapshots, current, reports, outcome));
    }

    /**
     * A task on a branch of its own (its agent works in a worktree) is checked before it completes, verify command or
     * not: its check is where its branch is merged back (rules/isolation.drl).
     */
    static List<Task> checkedBeforeCompletion(List<Task> tasks, List<dev.rulemux.domain.TaskBranch> branches) {
        if (branches.isEmpty()) {
            return tasks;
        }
        Map<String, String> onBranch = new java.util.HashMap<>();
        branches.forEach(b -> onBranch.put(b.task(), b.agent()));
        List<Task> out = new ArrayList<>(tasks.size());
        for (Task t : tasks) {
            if (!t.verified() && t.agent() != null && t.agent().equals(onBranch.get(t.id()))) {
                t = new Task(t.id(), t.title(), t.complexity(), t.priority(), t.dependsOn(), t.state(), t.agent(), t.order(),
                        t.attempts(), t.maxAttempts(), true, t.preferAgent(), t.readySinceMs(), t.lastAgent(), t.stateSinceMs(),
                        t.isolation());
            }
            out.add(t);
        }
        return out;
    }

    /** A {@link dev.rulemux.domain.HostDown} for each agent on a host whose connection is down. */
    private List<dev.rulemux.domain.HostDown> hostsDown(Config config, long now) {
        List<dev.rulemux.terminal.Link> links = team.terminal().links();
        if (links.isEmpty()) {
            return List.of();
        }
        List<dev.rulemux.domain.HostDown> out = new ArrayList<>();
        for (dev.rulemux.terminal.Link link : links) {
            if (link.up()) {
                continue;
            }
            long since = link.since() <= 0 ? now : Math.min(now, link.since());
            for (AgentSpec a : config.team().agents()) {
                if (link.host().equals(a.host())) {
                    out.add(new dev.rulemux.domain.HostDown(a.name(), link.host(), since,
                            link.problem().isBlank() ? "not reachable" : link.problem()));
                }
            }
        }
        return out;
    }

    /**
     * The reports agents left on their panes ({@code @rulemux-report}: "done t1 what was done", "blocked t1 why"),
     * put on the board as {@code rulemux report} does, so that the policy weighs them with the others. A report that
     * names no task of the board or no outcome is logged and dropped.
     */
    private void takeTerminalReports(Config config, long now) {
        Map<String, String> taken;
        try {
            taken = team.terminal().takeReports(team.session());
        } catch (TerminalException e) {
            return;
        }
        taken.forEach((agent, text) -> {
            String[] words = text.strip().split("\\s+", 3);
            dev.rulemux.domain.ReportOutcome outcome = words.length < 2 ? null : switch (words[0].toLowerCase(java.util.Locale.ROOT)) {
                case "done" -> dev.rulemux.domain.ReportOutcome.DONE;
                case "blocked" -> dev.rulemux.domain.ReportOutcome.BLOCKED;
                default -> null;
            };
            String task = words.length < 2 ? "" : words[1].replaceAll("[:,.;]+$", "");
            if (outcome == null || config.team().agent(agent).isEmpty()
                    || board.records().stream().noneMatch(r -> r.spec().id().equals(task))) {
                log.warn("ignored the report " + agent + " left on its pane (not \"done|blocked TASK note\" of a known "
                        + "task): " + dev.rulemux.text.TerminalText.line(text));
                return;
            }
            String note = words.length > 2 ? words[2].strip() : "";
            board.report(task, outcome, note, agent, now);
            log.decision(agent + " reports " + task + " " + outcome.name().toLowerCase(java.util.Locale.ROOT)
                    + (note.isEmpty() ? "" : ": " + note) + " (through its pane)");
        });
    }

    private Map<String, Pane> panes() {
        try {
            Map<String, Pane> panes = team.panes();
            if (panes.isEmpty() && !sessionMissingReported) {
                log.warn("tmux session " + team.session() + " has no agent windows" + noWindowsAdvice);
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
                String text = e.getValue().get(captureTimeout.toMillis(), TimeUnit.MILLISECONDS);
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
}
