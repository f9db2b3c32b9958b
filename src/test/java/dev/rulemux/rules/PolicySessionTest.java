package dev.rulemux.rules;

import static dev.rulemux.ConfigDirs.write;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rulemux.config.Config;
import dev.rulemux.config.Sources;
import dev.rulemux.domain.Action;
import dev.rulemux.domain.ActionType;
import dev.rulemux.domain.Agent;
import dev.rulemux.domain.Answer;
import dev.rulemux.domain.Now;
import dev.rulemux.domain.PaneSnapshot;
import dev.rulemux.domain.Role;
import dev.rulemux.domain.Task;
import dev.rulemux.domain.TaskState;
import dev.rulemux.domain.Tier;
import dev.rulemux.loop.Decider;
import dev.rulemux.devtools.TickBench;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The run's long-lived session decides what a fresh session decides from the same facts, tick after tick,
 * while it puts into the session only the tasks that changed. (Every spec of {@code rules/} also decides
 * each situation both ways: see {@link PolicySpec#decide}.)
 */
class PolicySessionTest {

    @TempDir
    Path work;

    private static final Path SCREENS = Path.of("src/test/resources/screens/claude-code");

    @Test
    void givenATeamWorkingThroughItsQueue_whenEveryTickIsDecidedBothWays_thenTheSessionDecidesAsAFreshOne() throws IOException {
        // given 30 idle agents of three tiers and 300 tasks, one in five depending on the one before
        try (TickBench.Scenario s = TickBench.scenario(Path.of("."), work, 30, 300, true, TickBench.Engine.FRESH);
             PolicySession session = PolicySession.keepingUnchanged(s.policy())) {
            Config config = s.config();
            String idle = Files.readString(SCREENS.resolve("idle.txt"), StandardCharsets.UTF_8);
            String working = Files.readString(SCREENS.resolve("working.txt"), StandardCharsets.UTF_8);
            Map<String, Task> tasks = new LinkedHashMap<>();
            Decider.pending(config.tasks()).forEach(t -> tasks.put(t.id(), t));
            Map<String, PaneSnapshot> screens = new LinkedHashMap<>();
            Map<String, Integer> busySince = new HashMap<>();
            long now = 1_800_000_000_000L;
            long start = now;
            config.team().agents().forEach(a -> screens.put(a.name(), idle(a.name(), idle, start)));
            int sent = 0;

            for (int tick = 0; tick < 40; tick++, now += 1_000) {
                // when the tick is decided by a fresh session and by the long-lived one
                Decider.Input input = new Decider.Input(Map.copyOf(screens), List.copyOf(tasks.values()), List.of(),
                        List.of(), now);
                Decision fresh = Decider.decide(config, s.policy(), input, false).decision();
                Decision incremental = Decider.decide(config, session, input, false).decision();

                // then both decide the same
                SameDecision.require(fresh, incremental, "tick " + tick);

                // and the world moves: prompts sent start work; work of three ticks finishes its task
                for (Action a : fresh.actions()) {
                    if (a.type() == ActionType.SEND_PROMPT) {
                        tasks.computeIfPresent(a.task(), (id, t) -> t.withState(TaskState.IN_PROGRESS, a.agent()));
                        screens.put(a.agent(), new PaneSnapshot(a.agent(), working, now, false, "node", start - 600_000));
                        busySince.put(a.agent(), tick);
                        sent++;
                    }
                }
                for (Map.Entry<String, Integer> e : new ArrayList<>(busySince.entrySet())) {
                    if (tick - e.getValue() >= 3) {
                        String agent = e.getKey();
                        tasks.replaceAll((id, t) -> agent.equals(t.agent()) && t.state() == TaskState.IN_PROGRESS
                                ? t.withState(TaskState.COMPLETED, null) : t);
                        screens.put(agent, idle(agent, idle, now));
                        busySince.remove(agent);
                    }
                }
            }

            assertThat(sent).as("prompts sent over 40 ticks").isGreaterThan(200);
            assertThat(tasks.values().stream().filter(t -> t.state() == TaskState.COMPLETED).count()).isGreaterThan(150);
        }
    }

    @Test
    void givenAnUnchangedQueue_whenTheNextTickIsDecided_thenOnlyTheTasksThatChangedArePutIntoTheSession() {
        try (TickBench.Scenario s = TickBench.scenario(Path.of("."), work, 10, 1_000, false, TickBench.Engine.FRESH);
             PolicySession session = PolicySession.keepingUnchanged(s.policy())) {
            Decider.Input first = s.input();
            Decider.decide(s.config(), session, first, false);
            long inserted = session.keptInserted();
            assertThat(inserted).as("the tasks, the agents' facts and the time").isGreaterThan(1_000);

            Decider.decide(s.config(), session, first, false);
            assertThat(session.keptInserted()).as("the same queue again").isEqualTo(inserted);

            List<Task> changed = new ArrayList<>(first.tasks());
            changed.set(500, changed.get(500).withState(TaskState.CANCELLED, null));
            Decider.decide(s.config(), session, new Decider.Input(first.snapshots(), changed, List.of(), List.of(),
                    first.nowMs() + 1_000), false);
            assertThat(session.keptInserted()).as("one task changed").isEqualTo(inserted + 1);

            changed.remove(10);
            Decision d = Decider.decide(s.config(), session, new Decider.Input(first.snapshots(), changed, List.of(),
                    List.of(), first.nowMs() + 2_000), false).decision();
            assertThat(session.keptInserted()).as("one task gone").isEqualTo(inserted + 1);
            SameDecision.require(Decider.decide(s.config(), s.policy(), new Decider.Input(first.snapshots(), changed,
                    List.of(), List.of(), first.nowMs() + 2_000), false).decision(), d, "after a task left the queue");
        }
    }

    @Test
    void givenAgentsWhoseScreensDidNotChange_whenTheNextTickIsDecided_thenOnlyTheChangedScreensArePutIntoTheSession() {
        // given a team of 100 at work on a queue, decided once
        try (TickBench.Scenario s = TickBench.scenario(Path.of("."), work, 100, 1_000, false, TickBench.Engine.FRESH);
             PolicySession session = PolicySession.keepingUnchanged(s.policy())) {
            Decider.Input first = s.input();
            Decider.decide(s.config(), session, first, false);
            long inserted = session.keptInserted();

            // when the clock moves on and a tenth of the screens change (the scenario's next tick: a new line each)
            Decider.Input second = s.input();
            Decision d = Decider.decide(s.config(), session, second, false).decision();
            long changedScreens = second.snapshots().entrySet().stream()
                    .filter(e -> !e.getValue().equals(first.snapshots().get(e.getKey()))).count();
            long changedTasks = second.tasks().stream().filter(t -> !first.tasks().contains(t)).count();

            // then only the screen facts of the agents whose screens changed (and the tasks that changed) are put in
            // again: every other agent's facts stay as they were, and so do the changed agents' other facts
            assertThat(changedScreens).isEqualTo(10);
            // (each: its screen and what the screen shows; not itself, its knobs or its activity)
            Map<String, dev.rulemux.screen.Observation> seen = Decider.observe(s.config(), second.snapshots());
            long changedAgentsFacts = second.snapshots().keySet().stream()
                    .filter(a -> !second.snapshots().get(a).equals(first.snapshots().get(a)))
                    .mapToLong(a -> 1 + seen.get(a).facts().size()).sum();
            assertThat(session.keptInserted() - inserted).as("kept facts put in again")
                    .isEqualTo(changedAgentsFacts + changedTasks);
            SameDecision.require(Decider.decide(s.config(), s.policy(), second, false).decision(), d, "the second tick");
        }
    }

    @Test
    void givenAWorkingAgent_whenOnlyItsScreenChanges_thenOnlyItsScreenFactsArePutInAgain_andAllOfThemWhenItsActivityChanges()
            throws IOException {
        // given a team of three, the first at work on a task (its spinner turning), the others idle, decided once
        try (TickBench.Scenario s = TickBench.scenario(Path.of("."), work, 3, 10, false, TickBench.Engine.FRESH);
             PolicySession session = PolicySession.keepingUnchanged(s.policy())) {
            Config config = s.config();
            String idle = Files.readString(SCREENS.resolve("idle.txt"), StandardCharsets.UTF_8);
            String working = Files.readString(SCREENS.resolve("working.txt"), StandardCharsets.UTF_8);
            assertThat(working).contains("* Harmonizing…");
            List<String> names = config.team().agents().stream().map(a -> a.name()).toList();
            String busy = names.get(0);
            long now = 1_800_000_000_000L;
            List<Task> tasks = new ArrayList<>(Decider.pending(config.tasks()));
            tasks.set(0, tasks.get(0).withState(TaskState.IN_PROGRESS, busy));
            Map<String, PaneSnapshot> screens = new LinkedHashMap<>();
            names.forEach(a -> screens.put(a, idle(a, idle, now)));
            screens.put(busy, new PaneSnapshot(busy, working, now - 250, false, "node", now - 600_000));
            List<dev.rulemux.domain.Activity> activity = List.of(new dev.rulemux.domain.Activity(busy, now - 5_000, 0));
            decideBothWays(config, s.policy(), session, new Decider.Input(Map.copyOf(screens), tasks, List.of(), activity, now));
            long inserted = session.keptInserted();

            // when only its screen changes (the spinner's next frame), a tick later
            screens.put(busy, new PaneSnapshot(busy, working.replace("* Harmonizing…", "✢ Harmonizing…"), now, false, "node",
                    now - 600_000));
            Decider.Input second = new Decider.Input(Map.copyOf(screens), tasks, List.of(), activity, now + 250);
            Decision d = decideBothWays(config, s.policy(), session, second);

            // then its screen and what is read from it are put in again, and nothing else: not the agent, its knobs or
            // its activity, nor any other agent's facts; and it is still working, as a fresh session decides
            int screenFacts = 1 + Decider.observe(config, Map.of(busy, screens.get(busy))).get(busy).facts().size();
            assertThat(session.keptInserted() - inserted).as("kept facts put in again").isEqualTo(screenFacts);
            assertThat(d.statusOf(busy)).map(dev.rulemux.domain.AgentStatus::status).contains(dev.rulemux.domain.Status.WORKING);

            // when rulemux did something to it as well (its activity changed) while the spinner turns on
            inserted = session.keptInserted();
            screens.put(busy, new PaneSnapshot(busy, working.replace("* Harmonizing…", "✳ Harmonizing…"), now + 250, false,
                    "node", now - 600_000));
            List<dev.rulemux.domain.Activity> pressed = List.of(new dev.rulemux.domain.Activity(busy, now + 400, 0));
            decideBothWays(config, s.policy(), session, new Decider.Input(Map.copyOf(screens), tasks, List.of(), pressed,
                    now + 500));

            // then all of its facts are put in again: itself, its knobs, its prompt hook (if its CLI's hooks report
            // prompts), its activity, its screen and what it shows
            int promptHook = config.profileOf(config.team().agents().get(0)).hooks().promptSubmittedEvent().isPresent() ? 1 : 0;
            assertThat(session.keptInserted() - inserted).as("kept facts put in again").isEqualTo(3 + promptHook + screenFacts);
        }
    }

    private static Decision decideBothWays(Config config, PolicyEngine fresh, PolicySession session, Decider.Input input) {
        Decision expected = Decider.decide(config, fresh, input, false).decision();
        Decision incremental = Decider.decide(config, session, input, false).decision();
        SameDecision.require(expected, incremental, "at " + input.nowMs());
        return incremental;
    }

    @Test
    void givenARuleThatFailsOnce_whenTheNextTickIsDecided_thenItStartsAfreshAndDecidesAsAFreshSession() {
        Path dir = work.resolve("policy");
        write(dir, "rules/a.drl", """
                package rulemux.test;
                import dev.rulemux.domain.*;

                rule "Every agent gets an alert"
                when
                    Agent( $a : name )
                    Now( $now : epochMs )
                then
                    if ($now == 2) { throw new IllegalStateException("boom"); }
                    insert( Action.alert($a, null, "hello " + $a + " at " + $now) );
                end

                rule "A task of no tier is noted once it exists"
                when
                    Task( $id : id )
                then
                    insertLogical( Action.alert(null, $id, "noted " + $id) );
                end
                """);
        Agent alpha = new Agent("alpha", "shell", Tier.LOW, null, Role.WORKER, Answer.ASK, Answer.ASK, 0);
        Task task = new Task("t1", "T", Tier.LOW, dev.rulemux.domain.Priority.LOW, List.of(), TaskState.PENDING, null, 0);
        try (PolicyEngine engine = PolicyEngine.compile(RuleFile.from(Sources.of(dir, List.of(dir))), null);
             PolicySession session = PolicySession.keepingUnchanged(engine)) {
            assertThat(session.decide(List.of(alpha, task, new Now(1)), false).actions()).extracting(Action::reason)
                    .containsExactlyInAnyOrder("hello alpha at 1", "noted t1");

            assertThatThrownBy(() -> session.decide(List.of(alpha, task, new Now(2)), false))
                    .isInstanceOf(PolicyFailure.class).hasMessageContaining("Every agent gets an alert").hasMessageContaining("boom");

            Decision after = session.decide(List.of(alpha, task, new Now(3)), false);
            assertThat(after.actions()).extracting(Action::reason).containsExactlyInAnyOrder("hello alpha at 3", "noted t1");
            assertThat(session.ticks()).as("ticks since the fresh start").isEqualTo(1);
        }
    }

    @Test
    void givenAPlainConclusion_whenTheNextTickComes_thenItIsGoneUnlessDecidedAgain() {
        Path dir = work.resolve("policy");
        write(dir, "rules/a.drl", """
                package rulemux.test;
                import dev.rulemux.domain.*;

                rule "An agent named on the clock is greeted"
                when
                    Agent( $a : name )
                    Now( epochMs == 1 )
                then
                    insert( Action.alert($a, null, "hello " + $a) );
                end
                """);
        Agent alpha = new Agent("alpha", "shell", Tier.LOW, null, Role.WORKER, Answer.ASK, Answer.ASK, 0);
        try (PolicyEngine engine = PolicyEngine.compile(RuleFile.from(Sources.of(dir, List.of(dir))), null);
             PolicySession session = PolicySession.keepingUnchanged(engine)) {
            assertThat(session.decide(List.of(alpha, new Now(1)), false).actions()).hasSize(1);
            assertThat(session.decide(List.of(alpha, new Now(1)), false).actions()).as("decided again").hasSize(1);
            assertThat(session.decide(List.of(alpha, new Now(2)), false).actions()).as("no longer decided").isEmpty();
        }
    }

    @Test
    void givenALivePolicy_whenItsRulesAreEdited_thenTheRunsSessionIsStartedAfreshOnTheNewRules() throws IOException {
        Path dir = work.resolve("live");
        String rule = """
                package rulemux.test;
                import dev.rulemux.domain.*;

                rule "Every agent gets an alert"
                when
                    Agent( $a : name )
                then
                    insert( Action.alert($a, null, "hello " + $a) );
                end
                """;
        Path file = write(dir, "rules/a.drl", rule);
        Agent alpha = new Agent("alpha", "shell", Tier.LOW, null, Role.WORKER, Answer.ASK, Answer.ASK, 0);
        try (LivePolicy live = LivePolicy.load(Sources.of(dir, List.of(dir)))) {
            PolicySession before = live.session();
            assertThat(before.decide(List.of(alpha), false).actions()).extracting(Action::reason).containsExactly("hello alpha");
            assertThat(live.session()).as("the same session while the rules stay").isSameAs(before);

            Files.writeString(file, rule.replace("\"hello \"", "\"bonjour \""));
            assertThat(live.refresh().reloaded()).isTrue();

            PolicySession after = live.session();
            assertThat(after).isNotSameAs(before);
            assertThat(after.engine()).isSameAs(live.current());
            assertThat(after.decide(List.of(alpha), false).actions()).extracting(Action::reason).containsExactly("bonjour alpha");
        }
    }

    private static PaneSnapshot idle(String agent, String screen, long now) {
        return new PaneSnapshot(agent, screen, now - 5_000, false, "node", now - 600_000);
    }
}
