package dev.rulemux.loop;

import dev.rulemux.board.Branches;
import dev.rulemux.board.TaskRecord;
import dev.rulemux.config.AgentSpec;
import dev.rulemux.config.Config;
import dev.rulemux.config.Isolation;
import dev.rulemux.domain.Claim;
import dev.rulemux.domain.Durations;
import dev.rulemux.domain.Isolated;
import dev.rulemux.domain.MergeState;
import dev.rulemux.domain.TaskBranch;
import dev.rulemux.git.Git;
import dev.rulemux.git.GitException;
import dev.rulemux.proc.Exec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileSystems;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The agents' git worktrees and their tasks' branches, as the policy decided (rules/isolation.drl); every git step
 * goes through the {@link Git} adapter. An agent with {@code isolation: worktree} works in
 * {@code <config dir>/worktrees/<agent>}, made from its {@code base} branch the first time it starts (untracked set-up
 * files copied in, its {@code setup} command run once); each task it is sent gets its own branch
 * {@code rulemux/<agent>/<task>}; when the policy says so the branch is merged into the base (or left for a person).
 * Each step is recorded in {@link Branches} before and after git runs, and each is safe to do again: a run stopped
 * half-way (even by {@code kill -9}) finishes it when started again.
 */
public final class Worktrees {

    /** The folder of the config directory that holds the agents' worktrees. */
    public static final String FOLDER = "worktrees";
    /** The list of untracked files to copy into a new worktree, when an agent's {@code include} is not given. */
    public static final String INCLUDE_FILE = ".worktreeinclude";

    private final Branches branches;
    private final Consumer<String> journal;

    /** @param journal where what was done (a worktree made, a setup's output) is told */
    public Worktrees(Branches branches, Consumer<String> journal) {
        this.branches = branches;
        this.journal = journal;
    }

    /** Where {@code agent} works: its worktree when it has one, else its workdir. */
    public static Path workdir(Config config, AgentSpec agent) {
        return agent.isolation().worktree() ? path(config, agent.name()) : agent.workdir();
    }

    /** The worktree of the agent called {@code agent}. */
    public static Path path(Config config, String agent) {
        return config.dir().resolve(FOLDER).resolve(agent).toAbsolutePath().normalize();
    }

    /** The branch of {@code task} done by {@code agent}. */
    public static String branchName(String agent, String task) {
        return "rulemux/" + agent + "/" + task;
    }

    /** The git adapter as the policy's knobs time it. */
    static Git git(Config config) {
        String knob = config.policy().values().get("git_timeout");
        return new Git("git", knob == null ? Duration.ofMinutes(1) : Durations.parse(knob));
    }

    private static Duration setupTimeout(Config config) {
        String knob = config.policy().values().get("setup_timeout");
        return knob == null ? Duration.ofMinutes(5) : Durations.parse(knob);
    }

    /** The facts of isolation for the policy besides the branches: agents in worktrees, tasks' claims. */
    public static List<Object> facts(Config config, List<TaskRecord> records) {
        return factsOf(config, records.stream().filter(r -> !r.state().finished()).map(TaskRecord::spec).toList());
    }

    /** As {@link #facts(Config, List)} for the tasks {@code specs} (as {@code rulemux decide} sees tasks.yaml). */
    public static List<Object> factsOf(Config config, List<dev.rulemux.config.TaskSpec> specs) {
        List<Object> out = new ArrayList<>();
        for (AgentSpec a : config.team().agents()) {
            if (a.isolation().worktree()) {
                out.add(new Isolated(a.name(), a.isolation().base()));
            }
        }
        for (dev.rulemux.config.TaskSpec s : specs) {
            if (!s.files().isEmpty()) {
                out.add(new Claim(s.id(), s.files()));
            }
        }
        return out;
    }

    /**
     * Makes {@code agent}'s worktree when it has none: its base branch made from the commit checked out in its workdir
     * when missing, a worktree with a detached HEAD at the base, the untracked files of its include list copied from
     * the main checkout, and its setup command run (its output told). A worktree already there is left as it is.
     */
    public Path prepare(Config config, AgentSpec agent) {
        return prepare(config, agent, journal);
    }

    /** As {@link #prepare(Config, AgentSpec)}, telling {@code journal} what was done. */
    public static Path prepare(Config config, AgentSpec agent, Consumer<String> journal) {
        Path at = path(config, agent.name());
        if (Files.exists(at.resolve(".git"))) {
            return at;
        }
        Git git = git(config);
        Isolation iso = agent.isolation();
        Path repo = git.toplevel(agent.workdir());
        if (!git.branchExists(repo, iso.base())) {
            git.createBranch(repo, iso.base(), "HEAD");
            journal.accept("made the base branch " + iso.base() + " at the commit checked out in " + repo);
        }
        try {
            Files.createDirectories(at.getParent());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot make " + at.getParent() + ": " + e.getMessage(), e);
        }
        git.addWorktree(repo, at, iso.base());
        List<String> copied = copyIncluded(repo, at, includes(repo, iso));
        journal.accept("made " + agent.name() + "'s worktree " + at + " from " + iso.base()
                + (copied.isEmpty() ? "" : ", copied " + String.join(", ", copied) + " into it"));
        if (!iso.setup().isEmpty()) {
            Duration timeout = setupTimeout(config);
            Exec.Result r = Exec.run(Exec.Call.of(iso.setup(), timeout).in(at).endingItsProcesses());
            String out = Verifier.tail((r.out() + (r.err().isBlank() ? "" : "\n" + r.err())).strip());
            journal.accept("setup of " + agent.name() + "'s worktree (" + String.join(" ", iso.setup()) + ") "
                    + (r.timedOut() ? "timed out after " + timeout.toSeconds() + " s" : "exited " + r.exitCode())
                    + (out.isEmpty() ? "" : ":\n" + out));
        }
        return at;
    }

    /** The include globs of an agent: its own, or those of the repository's {@code .worktreeinclude}. */
    static List<String> includes(Path repo, Isolation iso) {
        if (!iso.include().isEmpty()) {
            return iso.include();
        }
        Path file = repo.resolve(INCLUDE_FILE);
        if (!Files.isRegularFile(file)) {
            return List.of();
        }
        try {
            return Files.readAllLines(file).stream().map(String::strip)
                    .filter(l -> !l.isEmpty() && !l.startsWith("#") && !l.startsWith("/") && !l.contains("..")).toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    /** Copies the files of {@code repo} matching {@code globs} that the worktree lacks (untracked ones: tracked are there). */
    private static List<String> copyIncluded(Path repo, Path worktree, List<String> globs) {
        if (globs.isEmpty()) {
            return List.of();
        }
        List<PathMatcher> matchers = globs.stream().map(g -> FileSystems.getDefault().getPathMatcher("glob:" + g)).toList();
        List<String> copied = new ArrayList<>();
        try {
            Files.walkFileTree(repo, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
                    String name = dir.getFileName() == null ? "" : dir.getFileName().toString();
                    boolean skip = !dir.equals(repo) && (name.equals(".git") || Files.exists(dir.resolve(".git"))
                            || dir.startsWith(worktree.getParent()));
                    return skip ? FileVisitResult.SKIP_SUBTREE : FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    Path rel = repo.relativize(file);
                    if (attrs.isRegularFile() && matchers.stream().anyMatch(m -> m.matches(rel))) {
                        Path target = worktree.resolve(rel.toString());
                        if (!Files.exists(target)) {
                            Files.createDirectories(target.getParent());
                            Files.copy(file, target, StandardCopyOption.COPY_ATTRIBUTES);
                            copied.add(rel.toString());
                        }
                    }
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException("cannot copy the included files into " + worktree + ": " + e.getMessage(), e);
        }
        return copied;
    }

    /**
     * Puts {@code agent}'s worktree on the branch of {@code task} before its prompt is typed: made from the base, or
     * taken up again when the task comes back to it. Work left uncommitted by an earlier task stays on that task's
     * branch (committed there), never carried into the new one; a worktree with changes and no task branch is refused.
     */
    public TaskBranch openBranch(Config config, AgentSpec agent, String task, String title) {
        Path at = prepare(config, agent);
        Git git = git(config);
        String branch = branchName(agent.name(), task);
        Optional<String> current = git.currentBranch(at);
        List<String> excluded = includes(git.toplevel(agent.workdir()), agent.isolation());
        List<String> changed = current.equals(Optional.of(branch)) ? List.of() : git.changes(at, excluded);
        if (!changed.isEmpty() && current.isPresent()) {
            if (current.get().startsWith("rulemux/" + agent.name() + "/")) {
                git.commitAll(at, "rulemux: work left on " + current.get() + " when " + agent.name() + " was given " + task,
                        excluded);
                journal.accept("committed the work left in " + agent.name() + "'s worktree on " + current.get());
            } else {
                throw new GitException(agent.name() + "'s worktree " + at + " is on " + current.get() + " with changes: "
                        + "commit or remove them there before it is given " + task);
            }
        } else if (!changed.isEmpty()) {
            // a worktree that never had a task: what its setup left goes along into the first task's branch
            journal.accept(agent.name() + "'s worktree has " + changed.size() + " uncommitted or untracked files from before "
                    + "its first task (its setup?); they go along into " + branch);
        }
        git.switchTo(at, branch, agent.isolation().base());
        TaskBranch row = new TaskBranch(task, agent.name(), branch, agent.isolation().base(), MergeState.OPEN, List.of(),
                "");
        branches.put(row);
        return row;
    }

    /**
     * Merges {@code task}'s branch into its base: the agent's work committed on the branch, the merge recorded as
     * under way, then made without any working tree ({@link Git#merge}) and its end recorded. Done again after a crash
     * it finds the branch already merged, or makes the merge it had not yet made.
     */
    public TaskBranch merge(Config config, AgentSpec agent, String task, String title) {
        TaskBranch b = branches.branch(task).orElseThrow(() -> new IllegalStateException(task + " has no branch"));
        Git git = git(config);
        Path at = path(config, agent.name());
        commitWork(git, agent, at, b, title);
        branches.put(b.with(MergeState.MERGING, List.of(), "merging into " + b.base()));
        Git.Merge m = git.merge(at, b.base(), b.branch(), "Merge " + b.branch() + " into " + b.base() + " (" + task
                + (title == null || title.isBlank() ? "" : ": " + title) + ")");
        TaskBranch done;
        if (m instanceof Git.Merge.Merged merged) {
            String at12 = merged.commit().substring(0, Math.min(12, merged.commit().length()));
            done = b.with(MergeState.MERGED, List.of(), merged.already() ? "already in " + b.base() : "merged as " + at12);
        } else if (m instanceof Git.Merge.Conflict c) {
            done = b.with(MergeState.CONFLICT, c.files(), "conflicts in " + String.join(", ", c.files()));
        } else {
            done = b.with(MergeState.LEFT, List.of(), ((Git.Merge.Held) m).why());
        }
        branches.put(done);
        return done;
    }

    /** Leaves {@code task}'s branch for a person: the agent's work committed on it, the branch recorded as left. */
    public TaskBranch leave(Config config, AgentSpec agent, String task, String title) {
        TaskBranch b = branches.branch(task).orElseThrow(() -> new IllegalStateException(task + " has no branch"));
        Git git = git(config);
        commitWork(git, agent, path(config, agent.name()), b, title);
        TaskBranch left = b.with(MergeState.LEFT, List.of(), "merge it with: git merge " + b.branch());
        branches.put(left);
        return left;
    }

    private void commitWork(Git git, AgentSpec agent, Path at, TaskBranch b, String title) {
        if (git.currentBranch(at).equals(Optional.of(b.branch()))) {
            List<String> excluded = includes(git.toplevel(agent.workdir()), agent.isolation());
            if (git.commitAll(at, b.task() + (title == null || title.isBlank() ? "" : ": " + title) + " (by " + agent.name()
                    + ", via rulemux)", excluded)) {
                journal.accept("committed " + agent.name() + "'s work on " + b.task() + " to " + b.branch());
            }
        }
    }

    /**
     * Removes the worktrees of the agents no longer in {@code config} (or, with {@code all}, every agent's), each only
     * when git can remove it without force: nothing changed or untracked in it (the files rulemux copied in aside, which
     * are deleted first when unchanged) and its branch merged into its base. The others are kept.
     *
     * @return what became of each worktree found, one line each
     */
    public static List<String> clean(Config config, Branches branches, boolean all) {
        Path folder = config.dir().resolve(FOLDER);
        List<String> out = new ArrayList<>();
        if (!Files.isDirectory(folder)) {
            return out;
        }
        Git git = git(config);
        List<Path> found;
        try (var s = Files.list(folder)) {
            found = s.filter(Files::isDirectory).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + folder + ": " + e.getMessage(), e);
        }
        for (Path at : found) {
            String name = at.getFileName().toString();
            Optional<AgentSpec> agent = config.team().agent(name).filter(a -> a.isolation().worktree());
            if (agent.isPresent() && !all) {
                continue;
            }
            out.add(cleanOne(git, at, name, agent, branches));
        }
        return out;
    }

    private static String cleanOne(Git git, Path at, String name, Optional<AgentSpec> agent, Branches branches) {
        if (!Files.exists(at.resolve(".git"))) {
            return "kept " + at + ": it is not a git worktree";
        }
        try {
            Path main = git.worktrees(at).get(0).path();
            // an untracked file identical to the main checkout's is a set-up file rulemux copied in: not a change
            List<Path> copies = new ArrayList<>();
            List<String> changes = new ArrayList<>();
            for (String line : git.changes(at, List.of())) {
                String rel = line.substring(Math.min(3, line.length()));
                if (line.startsWith("?? ") && sameFile(at.resolve(rel), main.resolve(rel))) {
                    copies.add(at.resolve(rel));
                } else {
                    changes.add(line);
                }
            }
            if (!changes.isEmpty()) {
                return "kept " + at + ": it has changes or untracked files (" + String.join("; ", changes.stream().limit(5).toList()) + ")";
            }
            Optional<String> branch = git.currentBranch(at);
            if (branch.isPresent()) {
                String base = branches.branches().stream().filter(b -> b.branch().equals(branch.get())).map(TaskBranch::base)
                        .findFirst().orElse(agent.map(a -> a.isolation().base()).orElse(null));
                if (base == null || !git.branchExists(at, base)
                        || !git.isAncestor(at, "refs/heads/" + branch.get(), "refs/heads/" + base)) {
                    return "kept " + at + ": its branch " + branch.get() + " is not merged" + (base == null ? "" : " into " + base);
                }
            }
            for (Path copy : copies) {
                Files.delete(copy);
            }
            git.removeWorktree(main, at);
            return "removed " + name + "'s worktree " + at;
        } catch (GitException | IOException | UncheckedIOException e) {
            return "kept " + at + ": " + e.getMessage();
        }
    }

    private static boolean sameFile(Path a, Path b) throws IOException {
        return Files.isRegularFile(a) && Files.isRegularFile(b) && Files.mismatch(a, b) == -1;
    }
}
