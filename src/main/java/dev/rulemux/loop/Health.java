package dev.rulemux.loop;

import dev.rulemux.config.AgentSpec;
import dev.rulemux.config.Config;
import dev.rulemux.config.Profile;
import dev.rulemux.domain.PaneSnapshot;
import dev.rulemux.domain.Status;
import dev.rulemux.rules.PolicyEngine;
import dev.rulemux.terminal.Pane;
import dev.rulemux.terminal.Terminal;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The seeds' check-health script as a check: session, windows, live panes running their CLI (not a
 * shell), and each agent's status as the policy classifies it from its screen watched for {@link #WATCH}
 * (long enough to tell a still screen from a working one).
 */
public final class Health {

    /** One agent's health: ok or not, its status, and what was found. */
    public record AgentHealth(boolean ok, String status, String detail) {
    }

    /**
     * One host's health: whether its connection is up, how long an answer takes, its tmux, its agents.
     *
     * @param host      the host, as agents.yaml names it
     * @param reachable its connection is up
     * @param latencyMs the last answer's round trip, in ms; -1 when none came
     * @param tmux      its tmux version, empty when it never answered
     * @param agents    the agents on it
     * @param problem   why it is down, empty when up
     */
    public record HostHealth(String host, boolean reachable, long latencyMs, String tmux, List<String> agents, String problem) {
    }

    /** The whole team's health, with each host's besides this machine (none when every agent is here). */
    public record Report(boolean ok, String session, Map<String, AgentHealth> agents, List<HostHealth> hosts) {

        public Report(boolean ok, String session, Map<String, AgentHealth> agents) {
            this(ok, session, agents, List.of());
        }
    }

    private static final List<Status> UNHEALTHY = List.of(Status.EXITED, Status.STUCK, Status.UNKNOWN);

    /** How long the screens are watched: more than any profile's working_if_changed_within. */
    static final Duration WATCH = Duration.ofMillis(2600);

    private final Config config;
    private final PolicyEngine policy;
    private final Team team;
    private final Clock clock;

    public Health(Config config, PolicyEngine policy, Team team, Clock clock) {
        this.config = config;
        this.policy = policy;
        this.team = team;
        this.clock = clock;
    }

    public Report check() {
        Terminal terminal = team.terminal();
        Map<String, AgentHealth> agents = new LinkedHashMap<>();
        if (!terminal.installed()) {
            config.team().agents().forEach(a -> agents.put(a.name(), new AgentHealth(false, "-", "tmux is not installed")));
            return new Report(false, "tmux is not installed", agents);
        }
        String where = "session " + team.session() + terminal.server().map(s -> " (" + s + ")").orElse("");
        if (!terminal.hasSession(team.session())) {
            config.team().agents().forEach(a -> agents.put(a.name(), new AgentHealth(false, "-", "no session")));
            return new Report(false, where + ": not running (start it with rulemux start)", agents);
        }
        Map<String, Pane> panes = team.panes();
        List<HostHealth> hosts = hosts(terminal);
        ScreenHistory history = new ScreenHistory();
        long start = clock.millis();
        Map<String, PaneSnapshot> snapshots = new LinkedHashMap<>();
        long now;
        do {
            now = clock.millis();
            long at = now;
            panes.forEach((agent, pane) -> {
                try {
                    snapshots.put(agent, history.snapshot(agent, terminal.capture(pane.id()), pane.dead(),
                            pane.currentCommand(), -1, at));
                } catch (dev.rulemux.terminal.TerminalException e) {
                    // its host went down meanwhile: the agent is reported without a status
                }
            });
            team.sleeper().sleep(Duration.ofMillis(200));
        } while (now - start < WATCH.toMillis());
        Decider.Outcome outcome = Decider.decide(config, policy, new Decider.Input(snapshots, List.of(), List.of(),
                List.of(), now), false);
        boolean ok = true;
        for (AgentSpec a : config.team().agents()) {
            Pane p = panes.get(a.name());
            AgentHealth h;
            java.util.Optional<HostHealth> down = hosts.stream().filter(x -> x.host().equals(a.host()) && !x.reachable()).findFirst();
            if (down.isPresent()) {
                h = new AgentHealth(false, "UNKNOWN", "its host " + a.host() + " is down: " + down.get().problem());
            } else if (p == null) {
                h = new AgentHealth(false, "-", "no window named " + a.name() + (a.host() == null ? "" : " on " + a.host()));
            } else {
                Profile profile = config.profileOf(a);
                Status status = outcome.decision().statusOf(a.name()).map(s -> s.status()).orElse(Status.UNKNOWN);
                String reason = outcome.decision().statusOf(a.name()).map(s -> s.reason()).orElse("");
                if (p.dead()) {
                    h = new AgentHealth(false, status.name(), "pane " + p.id() + " is dead: its CLI ended");
                } else if (profile.exited().commands().contains(p.currentCommand())) {
                    h = new AgentHealth(false, status.name(), "pane " + p.id() + " runs a bare shell (" + p.currentCommand()
                            + "), not its CLI");
                } else {
                    h = new AgentHealth(!UNHEALTHY.contains(status), status.name(), "pane " + p.id() + " runs "
                            + p.currentCommand() + "; " + reason);
                }
            }
            ok &= h.ok();
            agents.put(a.name(), h);
        }
        return new Report(ok, where + ": running", agents, hosts);
    }

    private List<HostHealth> hosts(Terminal terminal) {
        List<HostHealth> out = new java.util.ArrayList<>();
        for (dev.rulemux.terminal.Link l : terminal.links()) {
            List<String> on = config.team().agents().stream().filter(a -> l.host().equals(a.host())).map(AgentSpec::name).toList();
            out.add(new HostHealth(l.host(), l.up(), l.latencyMs(), l.version(), on, l.problem()));
        }
        return out;
    }
}
