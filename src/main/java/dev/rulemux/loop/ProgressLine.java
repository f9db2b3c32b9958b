package dev.rulemux.loop;

import dev.rulemux.board.TaskBoard;
import dev.rulemux.config.AgentSpec;
import dev.rulemux.config.Config;
import dev.rulemux.domain.Status;
import dev.rulemux.domain.Task;
import dev.rulemux.domain.TaskState;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** The run's one-line progress (agents busy, tasks done, each agent's status and task) and its closing summary. */
final class ProgressLine {

    private final TaskBoard board;

    ProgressLine(TaskBoard board) {
        this.board = board;
    }

    String line(Config config, Decider.Outcome outcome) {
        List<Task> tasks = board.tasks();
        long done = tasks.stream().filter(t -> t.state() == TaskState.COMPLETED).count();
        long busy = outcome.decision().statuses().stream().filter(s -> s.status() != Status.IDLE).count();
        StringBuilder line = new StringBuilder();
        line.append("agents busy ").append(busy).append('/').append(config.team().agents().size())
                .append(" · tasks done ").append(done).append('/').append(tasks.size()).append(" ·");
        for (AgentSpec a : config.team().agents()) {
            line.append(' ').append(a.name()).append('=');
            line.append(outcome.decision().statusOf(a.name()).map(s -> s.status().name()).orElse("-"));
            tasks.stream().filter(t -> a.name().equals(t.agent()) && t.inFlight()).findFirst()
                    .ifPresent(t -> line.append('(').append(t.id()).append(')'));
        }
        return line.toString();
    }

    /** What the line says that matters (printed again only when it changes, off a terminal). */
    String key(Decider.Outcome outcome) {
        Map<TaskState, Long> counts = board.tasks().stream().collect(Collectors.groupingBy(Task::state, Collectors.counting()));
        return counts + "/" + outcome.decision().statuses().stream().filter(s -> s.status() != Status.IDLE).count();
    }

    /** The tasks by state: "2 completed, 1 pending". */
    String summary() {
        Map<TaskState, Long> counts = board.tasks().stream().collect(Collectors.groupingBy(Task::state, LinkedHashMap::new,
                Collectors.counting()));
        return counts.entrySet().stream().map(e -> e.getValue() + " " + e.getKey().name().toLowerCase(java.util.Locale.ROOT))
                .collect(Collectors.joining(", "));
    }
}
