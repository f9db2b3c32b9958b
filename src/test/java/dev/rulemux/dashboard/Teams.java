package dev.rulemux.dashboard;

import dev.rulemux.board.Journal;
import dev.rulemux.config.TaskSpec;
import dev.rulemux.domain.Priority;
import dev.rulemux.domain.Status;
import dev.rulemux.domain.TaskState;
import dev.rulemux.domain.Tier;
import dev.rulemux.store.StateStore;
import java.util.List;

/** Test helper: a team written into a state database by hand, as a running loop would have left it. */
final class Teams {

    /** A screen line that would run if the page parsed screens as HTML. */
    static final String SCRIPT_LINE = "<script>document.body.dataset.pwned = 'script'</script>";
    static final String IMG_LINE = "<img src=x onerror=\"document.body.dataset.pwned = 'img'\">";

    private Teams() {
    }

    static TaskSpec task(String id, String title) {
        return new TaskSpec(id, title, Tier.MEDIUM, Priority.MEDIUM, "Do " + id + ".", null, List.of(), null, List.of(), 3, 0);
    }

    /**
     * Three tasks (design-api completed by architect, routes in progress on builder, docs pending); architect idle and
     * builder working, both recorded 1 s before {@code now}; tester declared but never seen.
     */
    static void aTeam(StateStore store, long now) {
        store.declare(List.of(task("design-api", "Design the orders API"), task("routes", "HTTP routes"),
                task("docs", "README for the service")));
        store.delivered("design-api", "architect", now - 60_000, null);
        store.move("design-api", TaskState.COMPLETED, null, "architect reported it done");
        store.delivered("routes", "builder", now - 20_000, null);
        store.move("routes", TaskState.IN_PROGRESS, null, "builder is at work on it");
        store.agent(new Journal.AgentState("architect", Status.IDLE, "its input box is empty", null, 12, now - 30_000, now - 1_000,
                List.of("✳ sim-agent architect", "> ")));
        store.agent(new Journal.AgentState("builder", Status.WORKING, "a working marker", "routes", 42, now - 20_000, now - 1_000,
                List.of("» [rulemux task routes] HTTP routes", SCRIPT_LINE, IMG_LINE, "⠼ Working… (3s · esc to interrupt)")));
    }

    static final List<String> DECLARED = List.of("architect", "builder", "tester");
}
