package dev.rulemux.cli;

import dev.rulemux.App;
import dev.rulemux.board.TaskRecord;
import dev.rulemux.config.AgentSpec;
import dev.rulemux.config.Config;
import dev.rulemux.config.ConfigException;
import dev.rulemux.config.ConfigLoader;
import dev.rulemux.store.StateStore;
import dev.rulemux.store.StatusDocument;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine.Model.CommandSpec;

/**
 * What the commands on the state database share: the config directory (it must hold an {@code agents.yaml}, so
 * that a state database is never made in a stray folder), the store, the agent running the command
 * ({@code $RULEMUX_AGENT}), the errors, and the status document rewritten after a change.
 */
final class StateAccess {

    static final String AGENT_ENV = "RULEMUX_AGENT";

    private final App app;
    private final CommandSpec spec;
    private final Path dir;
    private Optional<Config> config;

    private StateAccess(App app, CommandSpec spec, Path dir) {
        this.app = app;
        this.spec = spec;
        this.dir = dir;
    }

    /**
     * The config directory of {@code config}, checked.
     *
     * @throws CommandRefused when it holds no {@code agents.yaml}
     */
    static StateAccess of(App app, CommandSpec spec, ConfigOption config) {
        Path dir = config.dir();
        if (!Files.isRegularFile(dir.resolve(ConfigLoader.AGENTS_FILE))) {
            throw new CommandRefused(ExitCodes.BAD_INPUT, dir.toAbsolutePath().normalize() + " is not a rulemux config directory (it has no "
                    + ConfigLoader.AGENTS_FILE + "): give --config DIR or set RULEMUX_CONFIG");
        }
        return new StateAccess(app, spec, dir);
    }

    Path dir() {
        return dir;
    }

    StateStore open() {
        return app.store(dir);
    }

    /**
     * The state, opened read-only: nothing is made or changed.
     *
     * @throws CommandRefused (failure) when there is no state yet
     */
    /** The state read-only, or empty when there is none yet (nothing is created). */
    Optional<StateStore> openReadOnlyIfAny() {
        return StateStore.openReadOnly(dir);
    }

    StateStore openReadOnly() {
        return StateStore.openReadOnly(dir).orElseThrow(() -> new CommandRefused(ExitCodes.FAILURE, "no state yet: "
                + dir.resolve(StateStore.FILE).toAbsolutePath().normalize() + " does not exist (rulemux run, rulemux start or "
                + "rulemux task add makes it); nothing was created"));
    }

    /** The agent running this command (its shell has {@code RULEMUX_AGENT}), or null for a person. */
    String agent() {
        return app.env(AGENT_ENV);
    }

    /** The config, or empty (and nothing said) when it does not load: the store does not need it. */
    Optional<Config> config() {
        if (config == null) {
            try {
                config = Optional.of(app.loadConfig(dir));
            } catch (ConfigException e) {
                config = Optional.empty();
            }
        }
        return config;
    }

    /** The agents of agents.yaml in its order; empty when it does not load. */
    List<String> declaredAgents() {
        return config().map(c -> c.team().agents().stream().map(AgentSpec::name).toList()).orElse(List.of());
    }

    /** The host of each agent of agents.yaml that runs on another machine; empty when none does or it does not load. */
    Map<String, String> hostsOfAgents() {
        Map<String, String> out = new java.util.LinkedHashMap<>();
        config().ifPresent(c -> c.team().agents().stream().filter(a -> a.host() != null).forEach(a -> out.put(a.name(), a.host())));
        return out;
    }

    /** What {@code status} and {@code task list} mark on a task of tasks.yaml that no run has loaded yet. */
    static final String NOT_LOADED_MARK = "*";
    static final String NOT_LOADED_NOTE = "* declared in tasks.yaml, not yet loaded: rulemux run loads it and dispatches it";

    /**
     * The tasks of tasks.yaml that are not in the store yet (no run has loaded them since they were declared), as
     * the run would load them: pending, in declaration order, after the tasks there are. Nothing is written; empty
     * when the configuration does not load.
     */
    List<TaskRecord> declaredNotLoaded(List<TaskRecord> stored) {
        java.util.Set<String> known = new java.util.HashSet<>();
        stored.forEach(r -> known.add(r.id()));
        long now = app.clock().millis();
        int order = stored.stream().mapToInt(TaskRecord::order).max().orElse(0);
        List<TaskRecord> out = new java.util.ArrayList<>();
        for (dev.rulemux.config.TaskSpec spec : config().map(Config::tasks).orElse(List.of())) {
            if (known.add(spec.id())) {
                out.add(dev.rulemux.board.TaskRecords.declared(spec, "tasks.yaml", ++order, now));
            }
        }
        return out;
    }

    /** When a rulemux run last recorded the team (its heartbeat, at least every few seconds), or 0 when none did. */
    static long lastLoopLook(StateStore store) {
        return store.agentRows().stream().mapToLong(r -> r.state().updatedAt()).max().orElse(0);
    }

    /** True when a run recorded the team within {@link StatusCommand#FRESH_MS}. */
    static boolean loopRunning(long lastLook, long now) {
        return lastLook > 0 && now - lastLook <= StatusCommand.FRESH_MS;
    }

    /** "no rulemux run is running (…)", saying since when. */
    static String noLoop(long lastLook, long now) {
        return "no rulemux run is running (" + (lastLook <= 0 ? "none has run here yet"
                : "the last one recorded the team " + Views.age(now - lastLook) + " ago") + ")";
    }

    /**
     * The task {@code id}.
     *
     * @throws CommandRefused (bad input) naming the tasks there are
     */
    TaskRecord task(StateStore store, String id) {
        return store.record(id).orElseThrow(() -> new CommandRefused(ExitCodes.BAD_INPUT, "no task " + id + " in "
                + store.file().toAbsolutePath().normalize() + " (" + known(store.records()) + ")"));
    }

    static String known(List<TaskRecord> records) {
        if (records.isEmpty()) {
            return "there is no task yet";
        }
        List<String> ids = records.stream().map(TaskRecord::id).toList();
        int shown = Math.min(ids.size(), 40);
        return "tasks: " + String.join(", ", ids.subList(0, shown)) + (ids.size() > shown ? ", … " + (ids.size() - shown) + " more" : "");
    }

    /** Rewrites ORCHESTRATION_STATUS.md after a change; a failure to write it is a warning, the change is made. */
    void statusChanged(StateStore store) {
        try {
            new StatusDocument().writeIfChanged(store, dir, declaredAgents());
        } catch (UncheckedIOException e) {
            PrintWriter err = spec.commandLine().getErr();
            err.println("warning: " + e.getMessage());
            err.flush();
        }
    }
}
