package dev.rulemux.loop;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rulemux.Eventually;
import dev.rulemux.board.TaskRecord;
import dev.rulemux.domain.MergeState;
import dev.rulemux.domain.TaskBranch;
import dev.rulemux.domain.TaskState;
import dev.rulemux.git.GitRepo;
import dev.rulemux.proc.SelfCommand;
import dev.rulemux.store.StateStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Agents in git worktrees (isolation: worktree), run by the loop against sim-agents in real tmux over a real git
 * repository: work merged back into the base, claims serialised in a shared directory, a conflict blocking its task,
 * a run killed in the middle of a merge finishing it when run again; and throughout, the person's own uncommitted
 * changes in the main checkout are left exactly as they were.
 */
class WorktreeIsolationIT {

    private static final long RUN_TIMEOUT_S = 300;

    @TempDir
    Path dir;

    private GitRepo repo;
    private String usersStatus;

    @BeforeEach
    void aRepositoryWithThePersonsOwnWorkInProgress() {
        repo = GitRepo.init(dir.resolve("repo"));
        repo.write(".worktreeinclude", ".env\n");
        repo.write(".gitignore", ".env\n");
        repo.git("add", ".worktreeinclude", ".gitignore");
        repo.git("commit", "-q", "-m", "include list");
        repo.write(".env", "SECRET=1\n");
        // the person's own uncommitted edit and untracked file, on main, checked out
        repo.write("README.md", "# project\nhalf-written paragraph\n");
        repo.write("notes.txt", "my notes\n");
        usersStatus = repo.status();
    }

    private static String isolated(String name) {
        return """
                  - name: %s
                    profile: sim-agent
                    command: [rulemux, sim-agent, --name, %s]
                    tier: low
                    approvals: auto
                    workdir: repo
                    isolation: worktree
                    base: team
                """.formatted(name, name);
    }

    private static RunLoop.Options untilDone() {
        return RunLoop.Options.run(false, true, Duration.ofMillis(200));
    }

    private void theUsersCheckoutIsUntouched() {
        assertThat(repo.status()).isEqualTo(usersStatus);
        assertThat(repo.read("README.md")).contains("half-written paragraph");
        assertThat(repo.git("rev-parse", "--abbrev-ref", "HEAD").strip()).isEqualTo("main");
        assertThat(repo.git("log", "--format=%s", "main")).doesNotContain("Merge");
    }

    @Test
    void twoAgentsEditingDifferentFilesInTheirWorktreesAreBothMergedIntoTheBase() throws Exception {
        String tasks = """
                tasks:
                  - {id: t1, complexity: low, files: [a.txt], prompt: "Write a [mock work=800ms write=a.txt text=alpha-work]"}
                  - {id: t2, complexity: low, files: [b.txt], prompt: "Write b [mock work=800ms write=b.txt text=beta-work]"}
                """;
        try (SimTeam team = new SimTeam(dir, isolated("alpha") + isolated("beta"), tasks);
             StateStore store = StateStore.open(dir)) {
            store.declare(team.config().tasks());
            RunLoop loop = team.loop(untilDone(), store, store);

            assertThat(team.runInBackground(loop).get(RUN_TIMEOUT_S, TimeUnit.SECONDS)).isZero();

            assertThat(store.tasks()).allSatisfy(t -> assertThat(t.state()).isEqualTo(TaskState.COMPLETED));
            assertThat(repo.show("team", "a.txt")).isEqualTo("alpha-work\n");
            assertThat(repo.show("team", "b.txt")).isEqualTo("beta-work\n");
            assertThat(store.branches().branches()).extracting(TaskBranch::merge).containsOnly(MergeState.MERGED);
            assertThat(store.branches().branches()).extracting(TaskBranch::branch)
                    .containsExactlyInAnyOrder(branchOf(store, "t1"), branchOf(store, "t2"));
            // each agent worked in its own worktree, with the untracked set-up file copied in and never committed
            assertThat(dir.resolve("worktrees/alpha/.env")).hasContent("SECRET=1");
            assertThat(repo.git("ls-tree", "-r", "--name-only", "team")).doesNotContain(".env");
            assertThat(team.log("orchestration.log")).contains("made alpha's worktree", "copied .env");
            theUsersCheckoutIsUntouched();

            // status and task show name each task's branch and merge
            assertThat(cli("status", "-c", dir.toString())).contains("BRANCH", "MERGE", branchOf(store, "t1") + " -> team", "MERGED");
            assertThat(cli("task", "show", "t1", "-c", dir.toString())).contains("branch", branchOf(store, "t1") + " -> team: MERGED");
            // stop --clean removes the worktrees that are clean and merged (the copied set-up file aside)
            assertThat(cli("stop", "-c", dir.toString(), "--clean", "--grace", "2s")).contains("removed alpha's worktree",
                    "removed beta's worktree");
            assertThat(dir.resolve("worktrees/alpha")).doesNotExist();
            assertThat(repo.show("team", "a.txt")).isEqualTo("alpha-work\n");
            theUsersCheckoutIsUntouched();
        }
    }

    private static String cli(String... args) {
        java.io.StringWriter out = new java.io.StringWriter();
        java.io.StringWriter err = new java.io.StringWriter();
        int code = dev.rulemux.Main.run(new dev.rulemux.App(java.time.Clock.systemUTC()), args, new java.io.PrintWriter(out, true),
                new java.io.PrintWriter(err, true));
        assertThat(code).as(String.join(" ", args) + ": " + err).isZero();
        return out.toString();
    }

    private static String branchOf(StateStore store, String task) {
        TaskRecord r = store.record(task).orElseThrow();
        return "rulemux/" + r.lastAgent() + "/" + task;
    }

    @Test
    void twoTasksClaimingTheSameFileInASharedDirectoryRunOneAfterTheOther() throws Exception {
        String shared = """
                  - {name: alpha, profile: sim-agent, command: [rulemux, sim-agent, --name, alpha], tier: low, approvals: auto}
                  - {name: beta, profile: sim-agent, command: [rulemux, sim-agent, --name, beta], tier: low, approvals: auto}
                """;
        String tasks = """
                tasks:
                  - {id: t1, complexity: low, priority: high, files: [src/**], prompt: "One [mock work=1500ms write=src/app.txt text=one]"}
                  - {id: t2, complexity: low, files: [src/app.txt], prompt: "Two [mock work=500ms write=src/app.txt text=two]"}
                """;
        try (SimTeam team = new SimTeam(dir, shared, tasks)) {
            RunLoop loop = team.loop(untilDone());

            assertThat(team.runInBackground(loop).get(RUN_TIMEOUT_S, TimeUnit.SECONDS)).isZero();

            TaskRecord one = loop.board().record("t1").orElseThrow();
            TaskRecord two = loop.board().record("t2").orElseThrow();
            assertThat(two.state()).isEqualTo(TaskState.COMPLETED);
            assertThat(two.startedAt()).as("t2 was sent only after t1 ended").isGreaterThanOrEqualTo(one.finishedAt());
            assertThat(Files.readString(dir.resolve("work/src/app.txt"))).isEqualTo("one\ntwo\n");
        }
    }

    @Test
    void aBranchThatConflictsWithTheBaseBlocksItsTaskNamingTheFileAndKeepsTheBranch() throws Exception {
        String tasks = """
                tasks:
                  - {id: t1, complexity: low, prompt: "One [mock work=800ms write=shared.txt text=from-alpha]"}
                  - {id: t2, complexity: low, prompt: "Two [mock work=800ms write=shared.txt text=from-beta]"}
                """;
        try (SimTeam team = new SimTeam(dir, isolated("alpha") + isolated("beta"), tasks);
             StateStore store = StateStore.open(dir)) {
            store.declare(team.config().tasks());
            RunLoop loop = team.loop(untilDone(), store, store);

            assertThat(team.runInBackground(loop).get(RUN_TIMEOUT_S, TimeUnit.SECONDS)).isZero();

            List<TaskState> states = store.tasks().stream().map(t -> t.state()).toList();
            assertThat(states).containsExactlyInAnyOrder(TaskState.COMPLETED, TaskState.BLOCKED);
            TaskBranch conflicted = store.branches().branches().stream().filter(b -> b.merge() == MergeState.CONFLICT)
                    .findFirst().orElseThrow();
            assertThat(conflicted.conflicts()).containsExactly("shared.txt");
            assertThat(store.record(conflicted.task()).orElseThrow().note()).contains("conflicts in shared.txt");
            assertThat(team.console.toString()).contains("conflicts with team in shared.txt");
            assertThat(repo.git("branch", "--list", conflicted.branch())).as("the branch is kept").contains(conflicted.branch());
            assertThat(repo.git("show", conflicted.branch() + ":shared.txt")).as("with its work").isNotBlank();
            theUsersCheckoutIsUntouched();
            // stop --clean keeps the worktree whose branch is not merged, and says why
            assertThat(cli("stop", "-c", dir.toString(), "--clean", "--grace", "2s"))
                    .contains("kept " + dir.resolve("worktrees/" + conflicted.agent()).toAbsolutePath().normalize(), "is not merged");
            assertThat(dir.resolve("worktrees/" + conflicted.agent() + "/shared.txt")).exists();
        }
    }

    @Test
    void aRunKilledInTheMiddleOfAMergeFinishesTheMergeWhenRunAgain() throws Exception {
        String tasks = """
                tasks:
                  - {id: t1, complexity: low, prompt: "Write a [mock work=500ms write=a.txt text=alpha-work]"}
                """;
        try (SimTeam team = new SimTeam(dir, isolated("alpha"), tasks)) {
            // given a git that stops for good just before it would move the base (update-ref)
            Path bin = Files.createDirectories(dir.resolve("fake-bin"));
            Path marker = dir.resolve("update-ref-reached");
            Path realGit = Path.of(GitRepo.gitIn(dir, "--exec-path").strip()).resolve("git");
            Path fake = bin.resolve("git");
            Files.writeString(fake, "#!/bin/sh\nif [ \"$1\" = update-ref ]; then : > '" + marker + "'; exec sleep 600; fi\n"
                    + "exec '" + (Files.isExecutable(realGit) ? realGit : Path.of("/usr/bin/git")) + "' \"$@\"\n");
            Files.setPosixFilePermissions(fake, PosixFilePermissions.fromString("rwxr-xr-x"));
            List<String> argv = new ArrayList<>(SelfCommand.resolve(List.of("rulemux", "run", "-c", dir.toString(),
                    "--exit-when-done", "--interval-ms", "200")));
            ProcessBuilder pb = new ProcessBuilder(argv).redirectErrorStream(true)
                    .redirectOutput(dir.resolve("first-run.out").toFile());
            Map<String, String> env = pb.environment();
            env.put("PATH", bin + ":" + env.get("PATH"));
            Process first = pb.start();
            try {
                // when the first run is killed (kill -9) while git is in the middle of the merge
                try {
                    Eventually.until("the merge to reach update-ref", Duration.ofSeconds(RUN_TIMEOUT_S), () -> Files.exists(marker)
                            || !first.isAlive());
                } catch (AssertionError e) {
                    throw new AssertionError(e.getMessage() + "; the first run said:\n" + Files.readString(dir.resolve("first-run.out")), e);
                }
                assertThat(first.isAlive()).as("the first run is merging: " + Files.readString(dir.resolve("first-run.out"))).isTrue();
                List<ProcessHandle> below = first.descendants().toList();
                first.destroyForcibly();
                first.waitFor(30, TimeUnit.SECONDS);
                below.forEach(ProcessHandle::destroyForcibly);
            } finally {
                first.destroyForcibly();
            }

            // then the repository is consistent and the base was not moved
            assertThat(repo.git("fsck", "--no-progress", "--no-dangling")).isEmpty();
            assertThat(repo.dir.resolve(".git/index.lock")).doesNotExist();
            assertThat(repo.git("ls-tree", "-r", "--name-only", "team")).doesNotContain("a.txt");
            try (StateStore store = StateStore.open(dir)) {
                assertThat(store.branches().branch("t1")).get().extracting(TaskBranch::merge).isEqualTo(MergeState.MERGING);

                // when rulemux runs again (with git whole again), then the merge is finished and the task completed
                RunLoop again = team.loop(untilDone(), store, store);
                Future<Integer> exit = team.runInBackground(again);
                assertThat(exit.get(RUN_TIMEOUT_S, TimeUnit.SECONDS)).isZero();

                assertThat(store.record("t1").orElseThrow().state()).isEqualTo(TaskState.COMPLETED);
                assertThat(store.branches().branch("t1")).get().extracting(TaskBranch::merge).isEqualTo(MergeState.MERGED);
                assertThat(repo.show("team", "a.txt")).isEqualTo("alpha-work\n");
                assertThat(repo.git("log", "--format=%s", "team")).containsOnlyOnce("Merge rulemux/alpha/t1");
            }
            assertThat(repo.git("fsck", "--no-progress", "--no-dangling")).isEmpty();
            theUsersCheckoutIsUntouched();
        }
    }
}
