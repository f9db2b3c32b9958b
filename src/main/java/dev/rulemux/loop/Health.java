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

    /** The whole team's health. */
    public record Report(boolean ok, String session, Map<String, AgentHealth> agents) {
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
        ScreenHistory history = new ScreenHistory();
        long start = clock.millis();
        Map<String, PaneSnapshot> snapshots = new LinkedHashMap<>();
        long now;
        do {
            now = clock.millis();
            long at = now;
            panes.forEach((agent, pane) -> snapshots.put(agent, history.snapshot(agent, terminal.capture(pane.id()), pane.dead(),
                    pane.currentCommand(), -1, at)));
            team.sleeper().sleep(Duration.ofMillis(200));
        } while (now - start < WATCH.toMillis());
        Decider.Outcome outcome = Decider.decide(config, policy, new Decider.Input(snapshots, List.of(), List.of(),
                List.of(), now), false);
        boolean ok = true;
        for (AgentSpec a : config.team().agents()) {
            Pane p = panes.get(a.name());
            AgentHealth h;
            if (p == null) {
                h = new AgentHealth(false, "-", "no window named " + a.name());
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
        return new Report(ok, where + ": running", agents);
    }
}
