package dev.rulemux.rules;

import static dev.rulemux.ConfigDirs.write;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rulemux.config.Sources;
import dev.rulemux.domain.Action;
import dev.rulemux.domain.ActionType;
import dev.rulemux.domain.Agent;
import dev.rulemux.domain.Answer;
import dev.rulemux.domain.Policy;
import dev.rulemux.domain.Role;
import dev.rulemux.domain.Tier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PolicyEngineTest {

    @TempDir
    Path dir;

    private static final String HEADER = "package rulemux.test;\nimport dev.rulemux.domain.*;\n\n";

    private static final String ALERT_EVERY_AGENT = HEADER + """
            rule "Every agent gets an alert"
            when
                Agent( $a : name )
            then
                insert( Action.alert($a, null, "hello " + $a) );
            end
            """;

    private static final Agent ALPHA = new Agent("alpha", "shell", Tier.LOW, null, Role.WORKER, Answer.ASK, Answer.ASK, 0);

    private Sources onlyThisDir() {
        return Sources.of(dir, List.of(dir));
    }

    @Test
    void rulesLoadedFromDiskDecideAndReportWhichRuleFired() {
        write(dir, "rules/a.drl", ALERT_EVERY_AGENT);

        try (PolicyEngine engine = PolicyEngine.compile(RuleFile.from(onlyThisDir()))) {
            Decision d = engine.decide(List.of(ALPHA), true);

            assertThat(d.actions()).containsExactly(Action.alert("alpha", null, "hello alpha"));
            assertThat(d.fired()).singleElement().satisfies(f -> {
                assertThat(f.rule()).isEqualTo("Every agent gets an alert");
                assertThat(f.file()).isEqualTo("a.drl:4");
            });
        }
    }

    @Test
    void aSyntaxErrorIsReportedAtItsFileAndLine() {
        write(dir, "rules/good.drl", ALERT_EVERY_AGENT);
        Path bad = write(dir, "rules/bad.drl", HEADER + """
                rule "Broken"
                when
                    Agent( $a : name
                then
                end
                """);

        assertThatThrownBy(() -> PolicyEngine.compile(RuleFile.from(onlyThisDir())))
                .isInstanceOfSatisfying(RuleCompileException.class, e -> assertThat(e.errors())
                        .allSatisfy(err -> assertThat(err.file()).isEqualTo(bad))
                        .anySatisfy(err -> assertThat(err.line()).isBetween(6, 7)));
    }

    @Test
    void anUnknownFieldIsReportedAtTheLineOfTheConstraintWithoutDroolsNoise() {
        Path bad = write(dir, "rules/bad.drl", HEADER + """
                rule "Unknown field"
                when
                    Agent( nosuchfield == 1 )
                then
                end
                """);

        assertThatThrownBy(() -> PolicyEngine.compile(RuleFile.from(onlyThisDir())))
                .isInstanceOfSatisfying(RuleCompileException.class, e -> assertThat(e.errors()).singleElement()
                        .satisfies(err -> {
                            assertThat(err.toString()).startsWith(bad + ":6: ");
                            assertThat(err.message()).contains("nosuchfield").doesNotContain("[Near").doesNotContain("^");
                        }));
    }

    @Test
    void anErrorInAConsequenceIsReportedAtTheRule() {
        Path bad = write(dir, "rules/bad.drl", HEADER + """
                rule "Calls what does not exist"
                when
                    Agent( $a : name )
                then
                    insert( Action.nothingLikeThis($a) );
                end
                """);

        assertThatThrownBy(() -> PolicyEngine.compile(RuleFile.from(onlyThisDir())))
                .isInstanceOfSatisfying(RuleCompileException.class, e -> assertThat(e.errors())
                        .anySatisfy(err -> assertThat(err.toString()).startsWith(bad + ":4: ")));
    }

    @Test
    void noRulesAtAllIsAnError() {
        assertThatThrownBy(() -> PolicyEngine.compile(RuleFile.from(onlyThisDir())))
                .isInstanceOf(RuleCompileException.class).hasMessageContaining("no .drl files");
    }

    @Test
    void aKnobTheRulesReadButNobodySetFailsNamingTheRuleAndTheKnob() {
        write(dir, "rules/a.drl", HEADER + """
                rule "Reads a knob"
                when
                    $p : Policy( $a : agent )
                then
                    insert( Action.alert($a, null, "limit " + $p.millis("no_such_knob")) );
                end
                """);

        try (PolicyEngine engine = PolicyEngine.compile(RuleFile.from(onlyThisDir()))) {
            assertThatThrownBy(() -> engine.decide(List.of(new Policy("alpha", Map.of("x", "1s"))), false))
                    .isInstanceOf(PolicyFailure.class)
                    .hasMessageContaining("Reads a knob").hasMessageContaining("a.drl:4")
                    .hasMessageContaining("no_such_knob");
        }
    }

    @Test
    void aRuleThatUndoesItsOwnConclusionIsStoppedNotLeftSpinning() {
        write(dir, "rules/a.drl", HEADER + """
                rule "Flip"
                when
                    $x : Agent( )
                    not Action( )
                then
                    insert( Action.alert($x.name(), null, "on") );
                end
                rule "Flop"
                when
                    $y : Action( )
                then
                    delete( $y );
                end
                """);

        try (PolicyEngine engine = PolicyEngine.compile(RuleFile.from(onlyThisDir()))) {
            assertThatThrownBy(() -> engine.decide(List.of(ALPHA), false))
                    .isInstanceOf(PolicyFailure.class).hasMessageContaining("fired");
        }
    }

    @Test
    void aLivePolicyPicksUpAnEditAndKeepsTheOldRulesWhenTheEditIsBroken() throws Exception {
        Path file = write(dir, "rules/a.drl", ALERT_EVERY_AGENT);
        try (LivePolicy live = LivePolicy.load(onlyThisDir())) {
            assertThat(live.refresh()).isEqualTo(LivePolicy.Reload.UNCHANGED);

            Files.writeString(file, ALERT_EVERY_AGENT.replace("\"hello \"", "\"bonjour \""));
            assertThat(live.refresh().reloaded()).isTrue();
            assertThat(live.current().decide(List.of(ALPHA), false).actions())
                    .extracting(Action::reason).containsExactly("bonjour alpha");

            Files.writeString(file, ALERT_EVERY_AGENT.replace("then", "then then"));
            LivePolicy.Reload broken = live.refresh();
            assertThat(broken.reloaded()).isFalse();
            assertThat(broken.failure()).hasValueSatisfying(e -> assertThat(e.errors().get(0).file()).isEqualTo(file));
            assertThat(live.current().decide(List.of(ALPHA), false).actions())
                    .extracting(Action::reason).containsExactly("bonjour alpha");
            assertThat(live.refresh()).as("a broken version is reported once").isEqualTo(LivePolicy.Reload.UNCHANGED);

            write(dir, "rules/b.drl", HEADER.replace("rulemux.test", "rulemux.other") + """
                    rule "Every agent is nudged"
                    when
                        Agent( $a : name )
                    then
                        insert( Action.nudge($a, null, "hey") );
                    end
                    """);
            Files.writeString(file, ALERT_EVERY_AGENT);
            assertThat(live.refresh().reloaded()).isTrue();
            assertThat(live.current().decide(List.of(ALPHA), false).actions())
                    .extracting(Action::type).containsExactlyInAnyOrder(ActionType.ALERT, ActionType.NUDGE);
        }
    }

    @Test
    void givenARunningPolicy_whenARuleIsEditedToReadAKnobNoPolicyYamlDefines_thenTheEditIsRefusedAtItsLineAndTheOldRulesKeepRunning()
            throws Exception {
        write(dir, "rules/policy.yaml", "patience: 5m\n");
        String readsPatience = HEADER + """
                rule "Impatient agents are nudged"
                when
                    $p : Policy( $a : agent )
                    Agent( name == $a, $p.millis("patience") > 0 )
                then
                    insert( Action.nudge($a, null, "hey") );
                end
                """;
        Path file = write(dir, "rules/a.drl", readsPatience);
        try (LivePolicy live = LivePolicy.load(onlyThisDir())) {
            Files.writeString(file, readsPatience.replace("\"patience\"", "\"patiense\""));

            LivePolicy.Reload refused = live.refresh();

            assertThat(refused.reloaded()).isFalse();
            assertThat(refused.failure()).hasValueSatisfying(e -> assertThat(e.errors()).singleElement().asString()
                    .startsWith(file + ":7: patiense: is not a policy knob: rule \"Impatient agents are nudged\" reads it")
                    .contains("(did you mean \"patience\"?)"));
            assertThat(live.current().decide(List.of(ALPHA, new Policy("alpha", Map.of("patience", "5m"))), false).actions())
                    .extracting(Action::reason).containsExactly("hey");
        }
    }
}
