package dev.rulemux.loop;

import dev.rulemux.config.Config;
import dev.rulemux.config.ConfigException;
import dev.rulemux.config.ConfigLoader;
import dev.rulemux.config.Problem;
import dev.rulemux.rules.LivePolicy;
import dev.rulemux.rules.RuleError;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Hot reload: picks up edited configuration (tasks, profiles, prompts, knobs; not the team, which needs a restart)
 * and edited rules before a tick. A broken edit is reported and the previous version keeps running.
 */
final class Reloader {

    private final ConfigWatch watch;
    private final LivePolicy policy;
    private final EventLog log;
    private final Consumer<Config> reloaded;
    private volatile Config config;

    /** @param reloaded told of each configuration taken */
    Reloader(Config config, LivePolicy policy, EventLog log, Consumer<Config> reloaded) {
        this.config = config;
        this.watch = new ConfigWatch(config.sources());
        this.policy = policy;
        this.log = log;
        this.reloaded = reloaded;
    }

    /** The configuration in force. */
    Config config() {
        return config;
    }

    /** Takes this tick's edits, if any; an edit that is broken leaves the configuration in force as it was. */
    void reloadIfChanged() {
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
            reloaded.accept(fresh);
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
}
