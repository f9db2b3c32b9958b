package dev.rulemux.git;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The git adapter on real repositories: worktrees, branches, and merges that touch no working tree. */
class GitTest {

    @TempDir
    Path tmp;

    private GitRepo repo;
    private final Git git = new Git("git", Duration.ofSeconds(30));
    private Path wt;

    @BeforeEach
    void aRepositoryWithATeamBranchAndAWorktree() {
        repo = GitRepo.init(tmp.resolve("repo"));
        git.createBranch(repo.dir, "team", "HEAD");
        wt = tmp.resolve("worktrees/alpha");
        git.addWorktree(repo.dir, wt, "team");
    }

    private void work(String branch, String file, String text) {
        git.switchTo(wt, branch, "team");
        GitRepo.gitIn(wt, "rev-parse", "HEAD");
        try {
            java.nio.file.Files.createDirectories(wt.resolve(file).getParent());
            java.nio.file.Files.writeString(wt.resolve(file), text);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        assertThat(git.commitAll(wt, "work on " + file, List.of(".env"))).isTrue();
    }

    @Test
    void aBranchIsMergedIntoItsBaseWithoutTouchingTheUsersCheckout() {
        // given the person's own uncommitted change and an untracked file in the main checkout
        repo.write("README.md", "# project\nmy edit\n");
        repo.write("notes.txt", "mine\n");
        String before = repo.status();
        work("rulemux/alpha/t1", "a.txt", "alpha\n");

        Git.Merge m = git.merge(wt, "team", "rulemux/alpha/t1", "Merge t1");

        assertThat(m).isInstanceOf(Git.Merge.Merged.class);
        assertThat(repo.show("team", "a.txt")).isEqualTo("alpha\n");
        assertThat(repo.git("log", "-1", "--format=%P", "team").strip().split(" ")).as("a merge commit").hasSize(2);
        assertThat(repo.status()).isEqualTo(before);
        assertThat(repo.read("README.md")).contains("my edit");
        assertThat(repo.git("rev-parse", "--abbrev-ref", "HEAD").strip()).isEqualTo("main");
    }

    @Test
    void mergingAgainIsAlreadyDone() {
        work("rulemux/alpha/t1", "a.txt", "alpha\n");
        git.merge(wt, "team", "rulemux/alpha/t1", "Merge t1");
        String team = repo.git("rev-parse", "team");

        Git.Merge again = git.merge(wt, "team", "rulemux/alpha/t1", "Merge t1");

        assertThat(again).isEqualTo(new Git.Merge.Merged(team.strip(), true));
        assertThat(repo.git("rev-parse", "team")).isEqualTo(team);
    }

    @Test
    void aConflictChangesNothingAndNamesTheFiles() {
        work("rulemux/alpha/t1", "shared.txt", "alpha\n");
        git.merge(wt, "team", "rulemux/alpha/t1", "Merge t1");
        String team = repo.git("rev-parse", "team");
        // a second branch from the old base that writes the same file otherwise
        git.switchTo(wt, "rulemux/alpha/t2", "team~1");
        work("rulemux/alpha/t2", "shared.txt", "beta\n");

        Git.Merge m = git.merge(wt, "team", "rulemux/alpha/t2", "Merge t2");

        assertThat(m).isEqualTo(new Git.Merge.Conflict(List.of("shared.txt")));
        assertThat(repo.git("rev-parse", "team")).isEqualTo(team);
        assertThat(git.branchExists(repo.dir, "rulemux/alpha/t2")).isTrue();
    }

    @Test
    void aBaseCheckedOutInSomeonesWorkingTreeIsNeverMoved() {
        work("rulemux/alpha/t1", "a.txt", "alpha\n");
        String main = repo.git("rev-parse", "main");

        Git.Merge m = git.merge(wt, "main", "rulemux/alpha/t1", "Merge t1");

        assertThat(m).isInstanceOf(Git.Merge.Held.class);
        assertThat(((Git.Merge.Held) m).why()).contains("main is checked out in ", "git merge rulemux/alpha/t1");
        assertThat(repo.git("rev-parse", "main")).isEqualTo(main);
    }

    @Test
    void aWorktreeWithUntrackedFilesIsNotRemoved() throws Exception {
        java.nio.file.Files.writeString(wt.resolve("scratch.txt"), "x");

        assertThatThrownBy(() -> git.removeWorktree(repo.dir, wt)).isInstanceOf(GitException.class);
        assertThat(wt.resolve("scratch.txt")).exists();
        assertThat(git.changes(wt, List.of())).containsExactly("?? scratch.txt");
        assertThat(git.changes(wt, List.of("scratch.*"))).isEmpty();
    }
}
