package dev.rulemux.dashboard;

import dev.rulemux.config.TaskSpecs;
import static org.assertj.core.api.Assertions.assertThat;

import dev.rulemux.config.TaskSpec;
import dev.rulemux.domain.Status;
import dev.rulemux.domain.TaskState;
import dev.rulemux.board.Journal;
import dev.rulemux.store.StateStore;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TeamViewTest {

    @TempDir
    Path dir;

    private static TaskSpec task(String id) {
        return TaskSpecs.task(id);
    }

    @Test
    void declaredAgentsComeFirstUnseenOnesAreUnknownAndEveryStateIsCounted() {
        try (StateStore store = StateStore.open(dir)) {
            // given two declared agents, one recorded by a loop 3 s ago with a task in flight, and an agent the loop
            // recorded that agents.yaml no longer declares
            store.declare(List.of(task("a"), task("b"), task("c")));
            store.delivered("a", "beta", 1_000, null);
            store.move("b", TaskState.CANCELLED, null, "not needed");
            store.agent(new Journal.AgentState("beta", Status.WORKING, "the screen changes", "a", 42, 500, 97_000,
                    List.of("✻ Working… (esc to interrupt)")));
            store.agent(new Journal.AgentState("old", Status.EXITED, "a shell", null, null, 10, 20, List.of("$")));

            // when the view is read at 100 s
            TeamView view = TeamView.read(store, List.of("alpha", "beta"), 10, 100_000);

            // then
            assertThat(view.agents()).extracting(TeamView.AgentView::name).containsExactly("alpha", "beta", "old");
            assertThat(view.agents().get(0)).satisfies(a -> {
                assertThat(a.status()).isEqualTo("UNKNOWN");
                assertThat(a.seen()).isFalse();
            });
            assertThat(view.agents().get(1)).satisfies(a -> {
                assertThat(a.status()).isEqualTo("WORKING");
                assertThat(a.task()).isEqualTo("a");
                assertThat(a.contextUsed()).isEqualTo(42);
                assertThat(a.screen()).containsExactly("✻ Working… (esc to interrupt)");
            });
            assertThat(view.live()).as("recorded 3 s ago").isTrue();
            assertThat(view.counts()).containsEntry(TaskState.ASSIGNED, 1).containsEntry(TaskState.PENDING, 1)
                    .containsEntry(TaskState.CANCELLED, 1).containsEntry(TaskState.COMPLETED, 0).hasSize(TaskState.values().length);
            assertThat(view.finished()).isEqualTo(1);
            assertThat(view.events()).extracting(Journal.Event::detail).containsExactly("declared a (tasks.yaml)",
                    "declared b (tasks.yaml)", "declared c (tasks.yaml)");
            assertThat(TeamView.read(store, List.of(), 2, 100_000).events()).as("the newest two, oldest first")
                    .extracting(Journal.Event::task).containsExactly("b", "c");

            assertThat(TeamView.read(store, List.of(), 0, 97_000 + TeamView.FRESH_MS + 1).live())
                    .as("no loop recorded anything for more than 10 s").isFalse();
        }
    }
}
