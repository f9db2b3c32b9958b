package dev.rulemux.rules;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rulemux.domain.Action;
import dev.rulemux.domain.ActionType;
import dev.rulemux.domain.Tier;
import dev.rulemux.devtools.TickBench;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Dispatch over a large queue, checked against the plain reading of the policy: in each tier, the free agents
 * in agents.yaml order take the ready tasks of that tier in dispatch order (more urgent, then earlier), one each.
 * The bench's team: agents of three tiers on idle Claude Code screens; tasks of three tiers and priorities,
 * one in five depending on the task before it.
 */
class DispatchAtScaleTest {

    @TempDir
    Path work;

    @Test
    void givenSixtyIdleAgentsAndSixHundredTasks_whenOneTickDecides_thenEachTierIsMatchedInOrder() {
        try (TickBench.Scenario s = TickBench.scenario(Path.of("."), work, 60, 600, true)) {
            Decision d = s.tick();

            List<Action> sends = d.actions().stream().filter(a -> a.type() == ActionType.SEND_PROMPT).toList();
            assertThat(sends).hasSize(60);
            assertThat(sends.stream().map(Action::agent).distinct()).hasSize(60);
            assertThat(sends.stream().map(Action::task).distinct()).hasSize(60);

            Map<String, String> expected = expected(60, 600);
            Map<String, String> decided = sends.stream().collect(Collectors.toMap(Action::agent, Action::task));
            assertThat(decided).isEqualTo(expected);
        }
    }

    @Test
    void givenMoreIdleAgentsThanReadyTasksOfTheirTier_whenOneTickDecides_thenEveryReadyTaskIsGivenOutOnce() {
        try (TickBench.Scenario s = TickBench.scenario(Path.of("."), work, 30, 12, true)) {
            Decision d = s.tick();

            List<Action> sends = d.actions().stream().filter(a -> a.type() == ActionType.SEND_PROMPT).toList();
            Map<String, String> expected = expected(30, 12);
            assertThat(sends.stream().collect(Collectors.toMap(Action::agent, Action::task))).isEqualTo(expected);
            assertThat(expected).hasSize(10); // t4 and t9 wait for their dependencies
        }
    }

    /** The reference: per tier, agents in order zipped with ready tasks in dispatch order. */
    private static Map<String, String> expected(int agents, int tasks) {
        String[] tiers = {"high", "medium", "low"};
        String[] priorities = {"high", "medium", "low", "medium", "low"};
        List<String> order = List.of("high", "medium", "low");
        Map<String, String> out = new LinkedHashMap<>();
        for (String tier : tiers) {
            List<String> free = new ArrayList<>();
            for (int i = 0; i < agents; i++) {
                if (tiers[i % 3].equals(tier)) {
                    free.add(String.format("agent-%04d", i));
                }
            }
            List<Integer> ready = new ArrayList<>();
            for (int i = 0; i < tasks; i++) {
                if (tiers[(i / 2) % 3].equals(tier) && i % 5 != 4) {
                    ready.add(i);
                }
            }
            ready.sort(Comparator.comparingInt((Integer i) -> order.indexOf(priorities[i % priorities.length]))
                    .thenComparingInt(i -> i));
            for (int k = 0; k < Math.min(free.size(), ready.size()); k++) {
                out.put(free.get(k), "t" + ready.get(k));
            }
        }
        assertThat(Tier.values()).hasSize(3);
        return out;
    }
}
