package dev.rulemux.rules;

import static dev.rulemux.ConfigDirs.write;
import static org.assertj.core.api.Assertions.assertThat;

import dev.rulemux.config.Sources;
import dev.rulemux.domain.Agent;
import dev.rulemux.domain.Answer;
import dev.rulemux.domain.Role;
import dev.rulemux.domain.Tier;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The cached policy read on a thread of its own while the configuration is read: taken only for the same files. */
class PolicyPrefetchTest {

    @TempDir
    Path cache;

    @TempDir
    Path dir;

    private static final String RULE = """
            package rulemux.test;
            import dev.rulemux.domain.*;

            rule "Every agent gets an alert"
            when
                Agent( $a : name )
            then
                insert( Action.alert($a, null, "%s " + $a) );
            end
            """;

    private static final Agent ALPHA = new Agent("alpha", "shell", Tier.LOW, null, Role.WORKER, Answer.ASK, Answer.ASK, 0);

    @Test
    void givenACachedPolicyReadAheadWhenThePolicyIsBuiltFromTheSameFilesThenTheRuleBaseReadAheadIsTheOneUsed() throws IOException {
        write(dir, "rules/a.drl", RULE.formatted("hello"));
        PolicyEngine.compile(RuleFile.from(onlyThisDir()), cache).close();
        PolicyPrefetch prefetch = PolicyPrefetch.start(onlyThisDir(), cache);
        prefetch.awaitRead();
        deleteCachedFiles(); // what is built now can only come from the read ahead

        try (PolicyEngine engine = PolicyEngine.compile(RuleFile.from(onlyThisDir()), cache, prefetch)) {
            assertThat(engine.fromCache()).isTrue();
            assertThat(engine.decide(List.of(ALPHA), false).actions())
                    .singleElement().satisfies(a -> assertThat(a.reason()).isEqualTo("hello alpha"));
        }
    }

    @Test
    void givenACachedPolicyReadAheadWhenARuleIsEditedBeforeThePolicyIsBuiltThenTheEditIsCompiledNotThePolicyReadAhead() {
        write(dir, "rules/a.drl", RULE.formatted("hello"));
        PolicyEngine.compile(RuleFile.from(onlyThisDir()), cache).close();
        PolicyPrefetch prefetch = PolicyPrefetch.start(onlyThisDir(), cache);

        write(dir, "rules/a.drl", RULE.formatted("goodbye"));
        try (PolicyEngine engine = PolicyEngine.compile(RuleFile.from(onlyThisDir()), cache, prefetch)) {
            assertThat(engine.fromCache()).isFalse();
            assertThat(engine.decide(List.of(ALPHA), false).actions())
                    .singleElement().satisfies(a -> assertThat(a.reason()).isEqualTo("goodbye alpha"));
        }
    }

    @Test
    void givenARuleBaseReadAheadWhenItIsTakenTwiceThenOnlyTheFirstGetsItAndAKeyOfOtherFilesGetsNothing() {
        write(dir, "rules/a.drl", RULE.formatted("hello"));
        PolicyEngine.compile(RuleFile.from(onlyThisDir()), cache).close();

        assertThat(PolicyPrefetch.start(onlyThisDir(), cache).take("no such key")).isEmpty();
        PolicyPrefetch prefetch = PolicyPrefetch.start(onlyThisDir(), cache);
        String key = CompiledPolicyCache.key(PolicyEngine.buildSources(RuleFile.from(onlyThisDir())));
        assertThat(prefetch.take(key)).isPresent();
        assertThat(prefetch.take(key)).isEmpty();
    }

    @Test
    void givenNothingCachedWhenThePolicyIsBuiltThenItIsCompiledAsWithoutAReadAhead() {
        write(dir, "rules/a.drl", RULE.formatted("hello"));
        PolicyPrefetch prefetch = PolicyPrefetch.start(onlyThisDir(), cache);

        try (PolicyEngine engine = PolicyEngine.compile(RuleFile.from(onlyThisDir()), cache, prefetch)) {
            assertThat(engine.fromCache()).isFalse();
            assertThat(engine.decide(List.of(ALPHA), false).actions()).hasSize(1);
        }
    }

    private Sources onlyThisDir() {
        return Sources.of(dir, List.of(dir));
    }

    private void deleteCachedFiles() throws IOException {
        try (Stream<Path> files = Files.list(cache)) {
            for (Path f : files.toList()) {
                Files.delete(f);
            }
        }
    }
}
