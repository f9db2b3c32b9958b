package dev.rulemux.rules;

import dev.rulemux.ConfigDirs;
import dev.rulemux.config.AgentSpec;
import dev.rulemux.config.Config;
import dev.rulemux.config.TeamConfig;
import dev.rulemux.config.ConfigLoader;
import dev.rulemux.domain.Action;
import dev.rulemux.domain.ActionType;
import dev.rulemux.domain.Answer;
import dev.rulemux.domain.Activity;
import dev.rulemux.domain.Delivery;
import dev.rulemux.domain.LimitSeen;
import dev.rulemux.domain.PaneSnapshot;
import dev.rulemux.domain.Report;
import dev.rulemux.domain.ReportOutcome;
import dev.rulemux.domain.Restart;
import dev.rulemux.domain.StatusSince;
import dev.rulemux.domain.Task;
import dev.rulemux.domain.Verification;
import dev.rulemux.domain.Status;
import dev.rulemux.domain.TaskState;
import dev.rulemux.domain.TaskTransition;
import dev.rulemux.loop.Decider;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Test helper: the shipped policy deciding for the spec team ({@code src/test/resources/policy-team}: one
 * agent per shipped profile) from recorded screens ({@code src/test/resources/screens/<profile>/<name>.txt}).
 * Reads as given / when / then:
 * <pre>{@code
 * Verdict v = spec().screen("claude", "claude-code/idle").assigned("claude", "arch").decide();
 * }</pre>
 */
public final class PolicySpec {

    public static final Path TEAM = Path.of("src/test/resources/policy-team");
    public static final Path SCREENS = Path.of("src/test/resources/screens");

    /** The time of every spec's tick (ages given to {@link #with} count back from it). */
    public static final long NOW = System.currentTimeMillis();

    private static Config config;
    private static PolicyEngine engine;
    /** One long-lived session through every spec, as a run keeps one through its ticks. */
    private static PolicySession session;

    private final Map<String, PaneSnapshot> snapshots = new LinkedHashMap<>();
    private final Map<String, Task> tasks = new LinkedHashMap<>();
    private final List<Delivery> deliveries = new ArrayList<>();
    private final List<Activity> activity = new ArrayList<>();
    private final List<Report> reports = new ArrayList<>();
    private final List<Verification> verifications = new ArrayList<>();
    private final List<StatusSince> history = new ArrayList<>();
    private final List<Object> extra = new ArrayList<>();
    /** The spec team's agents as this situation has them (some changed by {@link #agent}). */
    private final Map<String, AgentSpec> agents = new LinkedHashMap<>();

    private PolicySpec() {
        for (Task t : Decider.pending(config().tasks())) {
            tasks.put(t.id(), t);
        }
        config().team().agents().forEach(a -> agents.put(a.name(), a));
    }

    /** A fresh situation: the spec team, every task pending, no screens. */
    public static PolicySpec spec() {
        return new PolicySpec();
    }

    public static synchronized Config config() {
        if (config == null) {
            config = ConfigLoader.load(ConfigDirs.sources(TEAM.toAbsolutePath()));
            engine = PolicyEngine.compile(RuleFile.from(config.sources()));
            session = PolicySession.keepingUnchanged(engine);
        }
        return config;
    }

    /** The shipped policy, compiled, as every spec decides by it. */
    static synchronized PolicyEngine engine() {
        config();
        return engine;
    }

    /** The instant {@code ms} before every spec's tick ({@link #NOW}): facts hold instants, specs speak of ages. */
    public static long ago(long ms) {
        return NOW - ms;
    }

    /** What rulemux last did to {@code agent}: keys {@code msSinceKeys} ago, a restart {@code msSinceRestart} ago (null: never). */
    public static Activity activity(String agent, long msSinceKeys, int nudges, int restarts, Long msSinceRestart) {
        return new Activity(agent, ago(msSinceKeys), nudges, restarts, msSinceRestart == null ? Activity.NEVER : ago(msSinceRestart));
    }

    /** rulemux restarted {@code agent} {@code msAgo}. */
    public static Restart restart(String agent, long msAgo) {
        return new Restart(agent, ago(msAgo));
    }

    /** {@code line} has been on {@code agent}'s screen for {@code shownForMs}; the reset it gives is {@code resetsInMs} away (null: none). */
    public static LimitSeen limit(String agent, String line, long shownForMs, Long resetsInMs) {
        return new LimitSeen(agent, line, ago(shownForMs), resetsInMs == null ? null : NOW + resetsInMs);
    }

    /** The recorded screen {@code fixture} ({@code "codex/idle"}) is on {@code agent}'s pane, still for 5 s. */
    public PolicySpec screen(String agent, String fixture) {
        return screen(agent, fixture, 5_000);
    }

    public PolicySpec screen(String agent, String fixture, long unchangedMs) {
        snapshots.put(agent, PaneSnapshot.recorded(agent, read(fixture), ago(unchangedMs)));
        return this;
    }

    /** As {@link #screen}, with the pane's foreground command as tmux reports it. */
    public PolicySpec screen(String agent, String fixture, long unchangedMs, String paneCommand) {
        snapshots.put(agent, new PaneSnapshot(agent, read(fixture), ago(unchangedMs), false, paneCommand, -1));
        return this;
    }

    public PolicySpec text(String agent, String screen, long unchangedMs) {
        snapshots.put(agent, PaneSnapshot.recorded(agent, screen, ago(unchangedMs)));
        return this;
    }

    /** {@code agent}'s CLI was launched {@code msAgo} and its pane shows {@code screen}. */
    public PolicySpec launched(String agent, String screen, long msAgo) {
        snapshots.put(agent, new PaneSnapshot(agent, screen, ago(5_000), false, null, ago(msAgo)));
        return this;
    }

    /** In this situation {@code agent} answers startup dialogs as {@code answer} (the spec team's own otherwise). */
    public PolicySpec startupDialogs(String agent, Answer answer) {
        AgentSpec a = agents.get(agent);
        agents.put(agent, new AgentSpec(a.name(), a.profile(), a.command(), a.workdir(), a.env(), a.tier(), a.backup(),
                a.role(), a.approvals(), answer, a.policy(), a.line()));
        return this;
    }

    /** In this situation {@code agent} has its own {@code knob: value} under {@code policy:} in agents.yaml. */
    public PolicySpec knob(String agent, String knob, String value) {
        AgentSpec a = agents.get(agent);
        Map<String, String> policy = new LinkedHashMap<>(a.policy());
        policy.put(knob, value);
        agents.put(agent, new AgentSpec(a.name(), a.profile(), a.command(), a.workdir(), a.env(), a.tier(), a.backup(),
                a.role(), a.approvals(), a.startupDialogs(), policy, a.line()));
        return this;
    }

    public PolicySpec dead(String agent, String fixture) {
        snapshots.put(agent, new PaneSnapshot(agent, read(fixture), ago(10_000), true, null, -1));
        return this;
    }

    /** {@code task} is in flight on {@code agent} (in progress). */
    public PolicySpec assigned(String agent, String task) {
        return inState(task, TaskState.IN_PROGRESS, agent);
    }

    public PolicySpec inState(String task, TaskState state, String agent) {
        Task t = tasks.get(task);
        tasks.put(task, t.withState(state, agent));
        return this;
    }

    public PolicySpec done(String... ids) {
        for (String id : ids) {
            inState(id, TaskState.COMPLETED, null);
        }
        return this;
    }

    /** The prompt of {@code task} was delivered to {@code agent}, with this history. */
    public PolicySpec delivered(String agent, String task, int enterPresses, long msSinceLastKeys, boolean seenWorking) {
        deliveries.add(new Delivery(agent, task, ago(msSinceLastKeys), enterPresses, ago(msSinceLastKeys), seenWorking));
        return this;
    }

    /** Changes task {@code id} as the test needs (attempts, verify, waiting time…). */
    public PolicySpec task(String id, java.util.function.UnaryOperator<Task> change) {
        tasks.put(id, change.apply(tasks.get(id)));
        return this;
    }

    /** A task with these fields changed; null leaves a field as it is. */
    public static Task with(Task t, Integer attempts, Boolean verified, String preferAgent, Long waitingMs, String lastAgent,
                            Long msInState) {
        return new Task(t.id(), t.title(), t.complexity(), t.priority(), t.dependsOn(), t.state(), t.agent(), t.order(),
                attempts == null ? t.attempts() : attempts, t.maxAttempts(), verified == null ? t.verified() : verified,
                preferAgent == null ? t.preferAgent() : preferAgent,
                waitingMs == null ? t.readySinceMs() : waitingMs == 0 ? -1 : NOW - waitingMs,
                lastAgent == null ? t.lastAgent() : lastAgent, msInState == null ? t.stateSinceMs() : NOW - msInState,
                t.isolation());
    }

    /** The prompt of {@code task} was delivered by an earlier run (found in flight at start). */
    public PolicySpec adopted(String agent, String task) {
        deliveries.add(new Delivery(agent, task, ago(600_000), 1, 0, false, true));
        return this;
    }

    public PolicySpec report(String task, ReportOutcome outcome, String note, String agent) {
        reports.add(new Report(reports.size() + 1, task, outcome, note, agent));
        return this;
    }

    public PolicySpec verification(String task, int attempt, boolean passed, int exitCode, String tail) {
        verifications.add(new Verification(task, attempt, passed, exitCode, tail));
        return this;
    }

    /** At the last tick {@code agent} had {@code status}, and had had it for {@code forMs}. */
    public PolicySpec had(String agent, Status status, long forMs) {
        history.add(new StatusSince(agent, status, ago(forMs)));
        return this;
    }

    /** Any other fact the loop would put before the policy (a limit seen, a restart, a handoff note). */
    public PolicySpec fact(Object fact) {
        if (fact instanceof Activity a) {
            activity.add(a);
        } else {
            extra.add(fact);
        }
        return this;
    }

    public PolicySpec lastKeys(String agent, long msAgo) {
        activity.add(new Activity(agent, ago(msAgo), 0));
        return this;
    }

    public Verdict decide() {
        config();
        List<Object> more = new ArrayList<>(reports);
        more.addAll(verifications);
        more.addAll(history);
        more.addAll(extra);
        Decider.Input input = new Decider.Input(snapshots, List.copyOf(tasks.values()), deliveries, activity, NOW, more);
        Config situation = withAgents(config, List.copyOf(agents.values()));
        Decider.Outcome outcome = Decider.decide(situation, engine, input, true);
        RuleCoverage.decided(outcome.decision());
        // The same facts decided by the run's long-lived session (after whatever the previous spec left in it),
        // twice, as a run sees an unchanged situation tick after tick: each time the decision of a fresh session.
        synchronized (PolicySpec.class) {
            for (int tick = 1; tick <= 2; tick++) {
                Decision incremental = Decider.decide(situation, session, input, false).decision();
                SameDecision.require(outcome.decision(), incremental, "the long-lived session, tick " + tick);
            }
        }
        return new Verdict(outcome);
    }

    private static Config withAgents(Config c, List<AgentSpec> agents) {
        TeamConfig t = c.team();
        return new Config(c.sources(), new TeamConfig(t.file(), t.session(), t.socket(), t.notifyCommand(), agents, t.retention()),
                c.tasks(), c.profiles(), c.policy(), c.prompts(), c.warnings());
    }

    static String read(String fixture) {
        Path file = SCREENS.resolve(fixture + ".txt");
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("no recorded screen " + file, e);
        }
    }

    /** What the policy decided. */
    public record Verdict(Decider.Outcome outcome) {

        public Status status(String agent) {
            return outcome.decision().statusOf(agent).map(s -> s.status()).orElse(null);
        }

        public String reason(String agent) {
            return outcome.decision().statusOf(agent).map(s -> s.reason()).orElse(null);
        }

        public Optional<Integer> contextUsed(String agent) {
            return Optional.ofNullable(outcome.observations().get(agent)).flatMap(o -> o.contextUsedPercent());
        }

        /** Every action decided (read to be asserted on: {@link RuleCoverage} counts each as checked). */
        public List<Action> actions() {
            return checked(outcome.decision().actions());
        }

        /** The actions of this type decided (read to be asserted on: {@link RuleCoverage} counts each as checked). */
        public List<Action> actions(ActionType type) {
            return checked(outcome.decision().actions().stream().filter(a -> a.type() == type).toList());
        }

        private List<Action> checked(List<Action> actions) {
            RuleCoverage.asserted(outcome.decision(), actions);
            return actions;
        }

        public List<TaskTransition> transitions() {
            return outcome.decision().transitions();
        }

        public List<String> rulesFired() {
            return outcome.decision().fired().stream().map(FiredRule::rule).toList();
        }
    }
}
