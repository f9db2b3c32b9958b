package dev.rulemux.loop;

import dev.rulemux.board.TaskRecord;
import dev.rulemux.config.Config;
import dev.rulemux.domain.Action;
import dev.rulemux.domain.Status;
import dev.rulemux.screen.Observation;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A dry run's acting: each action decided anew is printed, once; nothing is sent, started or changed. */
final class DryRunActions implements ActionExecutor {

    private final EventLog log;

    DryRunActions(EventLog log) {
        this.log = log;
    }

    @Override
    public void starting() {
        log.decision("dry run: nothing will be sent to any agent, and no task will change");
    }

    @Override
    public void ticking(Config config, long now) {
        // the journal is left as it is
    }

    @Override
    public void seen(String agent, Observation seen, Status status, List<TaskRecord> records, long now) {
        // no delivery is recorded
    }

    @Override
    public List<Action> execute(Config config, Tick.Result result, List<Action> fresh) {
        Map<String, List<Action>> byAgent = new LinkedHashMap<>();
        fresh.forEach(a -> byAgent.computeIfAbsent(a.agent(), k -> new ArrayList<>()).add(a));
        byAgent.values().forEach(list -> list.forEach(a -> log.decision("would " + a.type().wireName() + " " + a.agent()
                + (a.task() == null ? "" : " " + a.task()) + (a.target() == null ? "" : " -> " + a.target())
                + (a.keys().isEmpty() ? "" : " [" + String.join(" ", a.keys()) + "]") + ": " + a.reason())));
        return List.of();
    }

    @Override
    public void reloaded(Config config) {
        // tasks.yaml is not declared
    }

    @Override
    public String noWindowsAdvice() {
        return "; start it with rulemux start (a dry run starts nothing)";
    }

    @Override
    public void close() {
        // nothing held
    }
}
