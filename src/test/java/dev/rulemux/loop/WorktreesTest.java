package dev.rulemux.loop;

import static dev.rulemux.ConfigDirs.sources;
import static dev.rulemux.ConfigDirs.write;
import static org.assertj.core.api.Assertions.assertThat;

import dev.rulemux.board.Branches;
import dev.rulemux.config.Config;
import dev.rulemux.config.ConfigLoader;
import dev.rulemux.domain.MergeState;
import dev.rulemux.domain.TaskBranch;
import dev.rulemux.git.GitRepo;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Agents' worktrees made, given a branch per task, and removed only when nothing would be lost (real git, no tmux). */
class WorktreesTest {

    @TempDir
    Path dir;

    private GitRepo repo;
    private final List<String> told = new ArrayList<>();
    private final Branches branches = new Branches.InMemory();

    private static String agent(String name) {
        return "  - {name: " + name + ", profile: shell, command: bash, tier: low, workdir: repo, isolation: worktree, base: team,"
                + " setup: [sh, -c, 'echo set up > setup.log']}\n";
    }

    private Config team(String... names) {
        StringBuilder agents = new StringBuilder("session: wt\nagents:\n");
        for (String n : names) {
            agents.append(agent(n));
        }
        write(dir, "agents.yaml", agents.toString());
        return ConfigLoader.load(sources(dir));
    }

    @BeforeEach
    void aRepository() {
        repo = GitRepo.init(dir.resolve("repo"));
        repo.write(".env", "SECRET=1\n");
        repo.write(".worktreeinclude", ".env\n");
    }

    @Test
    void aWorktreeIsMadeFromTheBaseWithTheIncludedFilesAndItsSetupRunOnce() {
        Config config = team("alpha");
        Worktrees worktrees = new Worktrees(branches, told::add);

        Path at = worktrees.prepare(config, config.team().agent("alpha").orElseThrow());
        worktrees.prepare(config, config.team().agent("alpha").orElseThrow());

        assertThat(at).isEqualTo(dir.resolve("worktrees/alpha").toAbsolutePath().normalize());
        assertThat(repo.git("branch", "--list", "team")).contains("team");
        assertThat(at.resolve(".env")).hasContent("SECRET=1");
        assertThat(at.resolve("setup.log")).hasContent("set up");
        assertThat(told).hasSize(3).anySatisfy(t -> assertThat(t).contains("made the base branch team"))
                .anySatisfy(t -> assertThat(t).contains("copied .env")).anySatisfy(t -> assertThat(t).contains("exited 0", "set up"));
    }

    @Test
    void eachTaskGetsItsOwnBranchAndWorkLeftOnOneStaysThere() throws Exception {
        Config config = team("alpha");
        Worktrees worktrees = new Worktrees(branches, told::add);
        var alpha = config.team().agent("alpha").orElseThrow();

        TaskBranch t1 = worktrees.openBranch(config, alpha, "t1", "one");
        Files.writeString(dir.resolve("worktrees/alpha/half.txt"), "unfinished\n");
        worktrees.openBranch(config, alpha, "t2", "two");

        assertThat(t1).isEqualTo(new TaskBranch("t1", "alpha", "rulemux/alpha/t1", "team", MergeState.OPEN, List.of(), ""));
        assertThat(GitRepo.gitIn(dir.resolve("worktrees/alpha"), "rev-parse", "--abbrev-ref", "HEAD").strip()).isEqualTo("rulemux/alpha/t2");
        assertThat(repo.show("rulemux/alpha/t1", "half.txt")).as("kept on its own branch").isEqualTo("unfinished\n");
        assertThat(dir.resolve("worktrees/alpha/half.txt")).as("not carried into the next task").doesNotExist();
        assertThat(repo.git("ls-tree", "-r", "--name-only", "rulemux/alpha/t1")).doesNotContain(".env");
    }

    @Test
    void theWorktreeOfAnAgentRemovedFromAgentsYamlIsRemovedWhenCleanAndMergedAndKeptOtherwise() throws Exception {
        Config both = team("alpha", "beta");
        Worktrees worktrees = new Worktrees(branches, told::add);
        worktrees.prepare(both, both.team().agent("alpha").orElseThrow());
        worktrees.prepare(both, both.team().agent("beta").orElseThrow());
        Files.writeString(dir.resolve("worktrees/beta/scratch.txt"), "mine\n");
        Files.delete(dir.resolve("worktrees/alpha/setup.log"));
        Files.delete(dir.resolve("worktrees/beta/setup.log"));

        // when both leave agents.yaml
        Config neither = team("gamma");
        List<String> done = Worktrees.clean(neither, branches, false);

        assertThat(done).anySatisfy(l -> assertThat(l).startsWith("removed alpha's worktree"))
                .anySatisfy(l -> assertThat(l).startsWith("kept " + dir.resolve("worktrees/beta").toAbsolutePath().normalize())
                        .contains("untracked", "scratch.txt"));
        assertThat(dir.resolve("worktrees/alpha")).doesNotExist();
        assertThat(dir.resolve("worktrees/beta/scratch.txt")).hasContent("mine");
    }
}
