package dev.rulemux.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rulemux.dashboard.ContextHistory.Point;
import dev.rulemux.domain.TaskState;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ContextHistoryTest {

    static TeamView at(long now, TeamView.AgentView... agents) {
        return new TeamView(now, true, List.of(agents), List.of(), Map.of(TaskState.PENDING, 0), List.of());
    }

    static TeamView.AgentView agent(String name, Integer context, long updatedAt) {
        return new TeamView.AgentView(name, "WORKING", "", null, context, 1, updatedAt, List.of(), 0, 0, 0, 0);
    }

    @Test
    void oneReadingPerStepTheNewestKeptAndOnlyOfAgentsSeenWithAContextShown() {
        ContextHistory h = new ContextHistory();

        h.sample(at(10_000, agent("a", 10, 9_000), agent("b", null, 9_000), agent("c", 5, 0)));
        h.sample(at(10_500, agent("a", 11, 9_500))); // the same 3 s step
        h.sample(at(12_500, agent("a", 20, 12_000)));
        h.sample(at(13_000, agent("a", 20, 12_000))); // the same row read again
        h.sample(at(13_500, agent("a", 99, 8_000))); // an older row

        assertThat(h.snapshot()).containsOnlyKeys("a");
        assertThat(h.snapshot().get("a")).containsExactly(new Point(9_500, 11), new Point(12_000, 20));
    }

    @Test
    void readingsOlderThanTheSpanAreForgottenAndAnAgentHasAtMostMaxPoints() {
        ContextHistory h = new ContextHistory();
        long t = 0;
        for (int i = 0; i < ContextHistory.MAX_POINTS + 50; i++, t += ContextHistory.STEP_MS) {
            h.sample(at(t, agent("a", i % 100, t)));
        }
        assertThat(h.snapshot().get("a")).hasSize(ContextHistory.MAX_POINTS);

        h.sample(at(t + ContextHistory.SPAN_MS, agent("b", 1, t + ContextHistory.SPAN_MS)));

        assertThat(h.snapshot()).as("a's readings are all older than 30 min").containsOnlyKeys("b");
    }
}
