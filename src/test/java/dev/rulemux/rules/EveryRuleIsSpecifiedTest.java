package dev.rulemux.rules;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * Every rule of {@code rules/} is specified: it fires in at least one scenario of the policy specs, and every kind of
 * action it decides there is read by a spec to be asserted on. The scenarios are run here, by this test, so that it
 * holds whatever else runs and in whatever order.
 */
class EveryRuleIsSpecifiedTest {

    /** The specs of the shipped policy: scenarios of recorded screens and situations, each deciding one tick. */
    static final List<Class<?>> SPECS = List.of(PolicyDecisionsTest.class, ResiliencePolicyTest.class,
            LifecyclePolicyTest.class, RecordedScreensTest.class, HookEvidenceTest.class, HostsPolicyTest.class,
            IsolationPolicyTest.class, TurnOnScreenPolicyTest.class, HookSilencePolicyTest.class);

    @Test
    void givenEveryScenarioOfThePolicySpecs_thenEveryRuleFiresAndEveryActionItDecidesIsAssertedOn() {
        int[] ran = new int[1];
        RuleCoverage coverage = RuleCoverage.record(() -> ran[0] = SpecScenarios.runAll(SPECS));
        Set<String> declared = new TreeSet<>(engine().ruleLocations().keySet());

        assertThat(ran[0]).as("scenarios run").isGreaterThan(100);
        assertThat(declared).as("rules declared in rules/*.drl").hasSizeGreaterThan(50);
        Set<String> neverFired = new TreeSet<>(declared);
        neverFired.removeAll(coverage.fired());
        assertThat(neverFired.stream().map(r -> r + " (" + engine().ruleLocations().get(r) + ")").toList())
                .as("rules that fire in no policy spec").isEmpty();
        assertThat(coverage.inserted()).as("rules that decide actions").isNotEmpty();
        assertThat(coverage.insertedButNotAsserted()).as("actions a rule decides in some spec that no spec asserts on")
                .isEmpty();
    }

    @Test
    void givenASpecThatOnlyLooksAtStatuses_thenTheActionsItsTickDecidedAreNotCountedAsAssertedOn() {
        RuleCoverage coverage = RuleCoverage.record(() -> PolicySpec.spec().screen("claude", "claude-code/idle").decide()
                .status("claude"));

        assertThat(coverage.fired()).contains("The agent next in line for a tier's queue takes the task at its head");
        assertThat(coverage.insertedButNotAsserted()).isNotEmpty();
    }

    @Test
    void givenASpecThatReadsTheActionsOfAType_thenTheRuleThatDecidedThemIsCountedAsAssertedOnForThatType() {
        RuleCoverage coverage = RuleCoverage.record(() -> PolicySpec.spec().screen("claude", "claude-code/idle").decide()
                .actions(dev.rulemux.domain.ActionType.SEND_PROMPT));

        assertThat(coverage.inserted()).isNotEmpty();
        assertThat(coverage.insertedButNotAsserted()).isEmpty();
    }

    private static PolicyEngine engine() {
        PolicySpec.config();
        return PolicySpec.engine();
    }
}
