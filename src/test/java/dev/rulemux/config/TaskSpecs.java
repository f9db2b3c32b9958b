package dev.rulemux.config;

import dev.rulemux.domain.Priority;
import dev.rulemux.domain.Tier;
import java.util.List;

/** Test fixtures: task declarations with the defaults of tasks.yaml where a spec does not care. */
public final class TaskSpecs {

    private TaskSpecs() {
    }

    /** A low task, priority medium, no dependency, no check. */
    public static TaskSpec task(String id) {
        return task(id, Tier.LOW);
    }

    /** "Title of ID", priority medium, prompt "Do ID.", three attempts, no check. */
    public static TaskSpec task(String id, Tier complexity, String... dependsOn) {
        return new TaskSpec(id, "Title of " + id, complexity, Priority.MEDIUM, "Do " + id + ".", null, List.of(dependsOn),
                null, List.of(), 3, 0);
    }

    /** A low task of priority high whose check ({@code verify: true}) passes. */
    public static TaskSpec verified(String id) {
        return new TaskSpec(id, id, Tier.LOW, Priority.HIGH, "do " + id, null, List.of(), "true", List.of(), 3, 0);
    }
}
