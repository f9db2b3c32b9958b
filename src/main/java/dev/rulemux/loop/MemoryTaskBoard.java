package dev.rulemux.loop;

import dev.rulemux.config.TaskSpec;
import dev.rulemux.domain.Task;
import dev.rulemux.domain.TaskState;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** A task board kept in memory: what a run knows when nothing needs to survive it. */
public final class MemoryTaskBoard implements TaskBoard {

    private static final class Entry {
        TaskSpec spec;
        TaskState state = TaskState.PENDING;
        String agent;
        String lastAgent;
        final int order;

        Entry(TaskSpec spec, int order) {
            this.spec = spec;
            this.order = order;
        }
    }

    private final Map<String, Entry> entries = new LinkedHashMap<>();

    public MemoryTaskBoard(List<TaskSpec> specs) {
        declare(specs);
    }

    @Override
    public synchronized List<Task> tasks() {
        List<Task> out = new ArrayList<>();
        for (Entry e : entries.values()) {
            TaskSpec s = e.spec;
            out.add(new Task(s.id(), s.title(), s.complexity(), s.priority(), s.dependsOn(), e.state, e.agent, e.order));
        }
        return out;
    }

    @Override
    public synchronized Optional<TaskSpec> spec(String id) {
        return Optional.ofNullable(entries.get(id)).map(e -> e.spec);
    }

    @Override
    public synchronized void declare(List<TaskSpec> specs) {
        for (TaskSpec spec : specs) {
            Entry e = entries.get(spec.id());
            if (e == null) {
                entries.put(spec.id(), new Entry(spec, entries.size()));
            } else if (e.state == TaskState.PENDING) {
                e.spec = spec;
            }
        }
    }

    @Override
    public synchronized boolean move(String task, TaskState to, String agent, String reason) {
        Entry e = entries.get(task);
        if (e == null || !e.state.canMoveTo(to)) {
            return false;
        }
        e.state = to;
        e.agent = to.inFlight() || to == TaskState.VERIFYING ? agent : null;
        if (agent != null) {
            e.lastAgent = agent;
        }
        return true;
    }

    @Override
    public synchronized Optional<String> lastAgent(String task) {
        return Optional.ofNullable(entries.get(task)).map(e -> e.lastAgent);
    }
}
