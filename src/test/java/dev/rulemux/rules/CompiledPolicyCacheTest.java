package dev.rulemux.rules;

import static dev.rulemux.ConfigDirs.write;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rulemux.config.Config;
import dev.rulemux.config.Sources;
import dev.rulemux.domain.Agent;
import dev.rulemux.domain.Answer;
import dev.rulemux.domain.PaneSnapshot;
import dev.rulemux.domain.Role;
import dev.rulemux.domain.Tier;
import dev.rulemux.domain.Task;
import dev.rulemux.loop.Decider;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The compiled-policy cache: the same rules are compiled once, read back on the next start, never stale. */
class CompiledPolicyCacheTest {

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

    @Test
    void givenThePolicyWasCompiledOnce_whenItIsCompiledAgain_thenItIsReadFromTheCacheAndDecidesTheSameOnEveryRecordedScreen()
            throws IOException {
        Config config = PolicySpec.config();
        List<RuleFile> files = RuleFile.from(config.sources());

        try (PolicyEngine compiled = PolicyEngine.compile(files, cache);
             PolicyEngine cached = PolicyEngine.compile(files, cache)) {
            assertThat(compiled.fromCache()).isFalse();
            assertThat(cached.fromCache()).isTrue();
            assertThat(cached.ruleLocations()).isEqualTo(compiled.ruleLocations());

            int compared = 0;
            for (Map<String, PaneSnapshot> screens : everyRecordedScreen()) {
                List<Task> tasks = Decider.pending(config.tasks());
                Decider.Input input = new Decider.Input(screens, tasks, List.of(), List.of(), 1_000_000L, List.of());
                Decider.Outcome a = Decider.decide(config, compiled, input, true);
                Decider.Outcome b = Decider.decide(config, cached, input, true);
                assertThat(b.decision().statuses()).isEqualTo(a.decision().statuses());
                assertThat(b.decision().actions()).isEqualTo(a.decision().actions());
                assertThat(b.decision().transitions()).isEqualTo(a.decision().transitions());
                assertThat(b.decision().fired().stream().map(FiredRule::rule).sorted().toList())
                        .isEqualTo(a.decision().fired().stream().map(FiredRule::rule).sorted().toList());
                compared++;
            }
            assertThat(compared).isGreaterThan(20);
        }
    }

    @Test
    void givenACachedPolicy_whenARuleIsEdited_thenTheEditIsCompiledNotTheOldPolicyRead() {
        write(dir, "rules/a.drl", RULE.formatted("hello"));
        try (PolicyEngine first = PolicyEngine.compile(RuleFile.from(onlyThisDir()), cache)) {
            assertThat(first.fromCache()).isFalse();
        }

        write(dir, "rules/a.drl", RULE.formatted("goodbye"));
        try (PolicyEngine edited = PolicyEngine.compile(RuleFile.from(onlyThisDir()), cache)) {
            assertThat(edited.fromCache()).isFalse();
            assertThat(edited.decide(List.of(ALPHA), false).actions())
                    .singleElement().satisfies(a -> assertThat(a.reason()).isEqualTo("goodbye alpha"));
        }
        assertThat(cachedFiles()).hasSize(2);
    }

    @Test
    void givenACorruptCacheFile_whenThePolicyIsCompiled_thenItIsCompiledAgainAndTheFileReplaced() throws IOException {
        write(dir, "rules/a.drl", RULE.formatted("hello"));
        PolicyEngine.compile(RuleFile.from(onlyThisDir()), cache).close();
        Path file = cachedFiles().get(0);
        Files.write(file, new byte[] {1, 2, 3, 4});

        try (PolicyEngine engine = PolicyEngine.compile(RuleFile.from(onlyThisDir()), cache)) {
            assertThat(engine.fromCache()).isFalse();
            assertThat(engine.decide(List.of(ALPHA), false).actions()).hasSize(1);
        }
        assertThat(Files.size(file)).isGreaterThan(4);
        try (PolicyEngine engine = PolicyEngine.compile(RuleFile.from(onlyThisDir()), cache)) {
            assertThat(engine.fromCache()).isTrue();
        }
    }

    @Test
    void givenABrokenRule_whenCompiled_thenTheErrorIsReportedEachTimeAndNothingIsCached() {
        write(dir, "rules/a.drl", RULE.formatted("hello").replace("Agent( $a : name )", "Agent( $a : nmae )"));

        for (int i = 0; i < 2; i++) {
            assertThatThrownBy(() -> PolicyEngine.compile(RuleFile.from(onlyThisDir()), cache))
                    .isInstanceOf(RuleCompileException.class);
        }
        assertThat(cache.resolve("policy")).doesNotExist();
    }

    @Test
    void theCacheIsPrivateToItsOwner() throws IOException {
        write(dir, "rules/a.drl", RULE.formatted("hello"));
        Path where = cache.resolve("policy");
        PolicyEngine.compile(RuleFile.from(onlyThisDir()), where).close();

        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(where))).isEqualTo("rwx------");
        try (Stream<Path> files = Files.list(where)) {
            for (Path f : files.toList()) {
                assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(f))).isEqualTo("rw-------");
            }
        }
    }

    @Test
    void whereTheCacheLives() {
        String home = System.getProperty("user.home");
        assertThat(CompiledPolicyCache.standardDir(Map.of())).isEqualTo(Path.of(home, ".cache", "rulemux", "policy"));
        assertThat(CompiledPolicyCache.standardDir(Map.of("XDG_CACHE_HOME", "/x"))).isEqualTo(Path.of("/x/rulemux/policy"));
        assertThat(CompiledPolicyCache.standardDir(Map.of("RULEMUX_CACHE_DIR", "/r", "XDG_CACHE_HOME", "/x")))
                .isEqualTo(Path.of("/r/policy"));
        assertThat(CompiledPolicyCache.standardDir(Map.of("RULEMUX_POLICY_CACHE", "off"))).isNull();
    }

    private static final Agent ALPHA = new Agent("alpha", "shell", Tier.LOW, null, Role.WORKER, Answer.ASK, Answer.ASK, 0);

    private Sources onlyThisDir() {
        return Sources.of(dir, List.of(dir));
    }

    private List<Path> cachedFiles() {
        try (Stream<Path> files = Files.list(cache)) {
            return files.filter(p -> p.toString().endsWith(".kpkg")).toList();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** Each recorded screen of each CLI on the spec team's agent of that CLI (claude, codex, gemini, shell). */
    private static List<Map<String, PaneSnapshot>> everyRecordedScreen() throws IOException {
        Map<String, String> agentOf = Map.of("claude-code", "claude", "codex", "codex", "gemini", "gemini", "shell", "shell");
        List<Map<String, PaneSnapshot>> out = new ArrayList<>();
        for (Map.Entry<String, String> cli : agentOf.entrySet()) {
            try (Stream<Path> files = Files.list(PolicySpec.SCREENS.resolve(cli.getKey()))) {
                for (Path f : files.filter(p -> p.toString().endsWith(".txt")).sorted().toList()) {
                    Map<String, PaneSnapshot> screens = new LinkedHashMap<>();
                    screens.put(cli.getValue(), PaneSnapshot.recorded(cli.getValue(), Files.readString(f), 1_000_000L - 5_000));
                    out.add(screens);
                }
            }
        }
        return out;
    }
}
