package dev.rulemux.git;

import dev.rulemux.proc.Exec;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Runs git: one method per question or step rulemux needs, each one git process with an argv list and a timeout,
 * in a given directory, with no terminal prompts and the English messages parsed below.
 */
public final class Git {

    /** A worktree of a repository as {@code git worktree list --porcelain} tells it. */
    public record Worktree(Path path, String head, String branch) {
    }

    /** How a merge into the base ended. */
    public sealed interface Merge {
        /** Merged: the base now points at {@code commit} (or already held the branch). */
        record Merged(String commit, boolean already) implements Merge {
        }

        /** Not merged, nothing changed: these files conflict. */
        record Conflict(List<String> files) implements Merge {
        }

        /** Not merged, nothing changed: rulemux may not move the base (it is checked out at {@code where}). */
        record Held(String why) implements Merge {
        }
    }

    private final String program;
    private final Duration timeout;

    /** Git as {@code program} (usually {@code git}, found on the PATH), each call limited to {@code timeout}. */
    public Git(String program, Duration timeout) {
        this.program = program;
        this.timeout = timeout;
    }

    /** Runs {@code git args…} in {@code dir}; never throws for git's own failure. */
    public Exec.Result run(Path dir, List<String> args) {
        List<String> argv = new ArrayList<>();
        argv.add(program);
        argv.addAll(args);
        // the repository is the directory's, never one an outer git (a hook, a test runner) points at
        return Exec.run(Exec.Call.of(argv, timeout).in(dir)
                .without(n -> n.equals("GIT_DIR") || n.equals("GIT_WORK_TREE") || n.equals("GIT_INDEX_FILE")
                        || n.equals("GIT_COMMON_DIR"))
                .withEnv(Map.of("GIT_TERMINAL_PROMPT", "0", "LC_ALL", "C")));
    }

    private Exec.Result run(Path dir, String... args) {
        return run(dir, Arrays.asList(args));
    }

    /** Runs {@code git args…} in {@code dir} and returns its output; throws {@link GitException} when it fails. */
    private String must(Path dir, String... args) {
        Exec.Result r = run(dir, args);
        if (!r.ok()) {
            throw new GitException("git " + String.join(" ", args) + " in " + dir + " failed"
                    + (r.timedOut() ? " (timed out after " + timeout.toSeconds() + " s)" : " (exit " + r.exitCode() + ")")
                    + ": " + (r.err().isBlank() ? r.out() : r.err()).strip());
        }
        return r.out();
    }

    /** Makes a new repository in {@code dir} whose first branch is {@code branch} (for the demo's own project). */
    public void init(Path dir, String branch) {
        must(dir, "init", "-q", "-b", branch);
    }

    /** The top folder of the working tree {@code dir} is in; throws when it is in none. */
    public Path toplevel(Path dir) {
        return Path.of(must(dir, "rev-parse", "--show-toplevel").strip());
    }

    /** The commit {@code ref} names, if it names one. */
    public Optional<String> commit(Path dir, String ref) {
        Exec.Result r = run(dir, "rev-parse", "--verify", "-q", ref + "^{commit}");
        return r.ok() ? Optional.of(r.out().strip()) : Optional.empty();
    }

    /** True when {@code branch} exists. */
    public boolean branchExists(Path dir, String branch) {
        return commit(dir, "refs/heads/" + branch).isPresent();
    }

    /** Makes {@code branch} at {@code startPoint} (never moves an existing one). */
    public void createBranch(Path dir, String branch, String startPoint) {
        must(dir, "branch", "--no-track", branch, startPoint);
    }

    /** The branch checked out in {@code dir}, or empty when its HEAD is detached. */
    public Optional<String> currentBranch(Path dir) {
        Exec.Result r = run(dir, "symbolic-ref", "--short", "-q", "HEAD");
        return r.ok() ? Optional.of(r.out().strip()) : Optional.empty();
    }

    /** Every worktree of the repository {@code dir} is in, the main one first. */
    public List<Worktree> worktrees(Path dir) {
        List<Worktree> out = new ArrayList<>();
        Path path = null;
        String head = null;
        String branch = null;
        for (String line : (must(dir, "worktree", "list", "--porcelain") + "\n").split("\n", -1)) {
            if (line.startsWith("worktree ")) {
                path = Path.of(line.substring("worktree ".length()));
            } else if (line.startsWith("HEAD ")) {
                head = line.substring("HEAD ".length());
            } else if (line.startsWith("branch ")) {
                branch = line.substring("branch ".length()).replaceFirst("^refs/heads/", "");
            } else if (line.isEmpty() && path != null) {
                out.add(new Worktree(path, head, branch));
                path = null;
                head = null;
                branch = null;
            }
        }
        return out;
    }

    /** The worktree that has {@code branch} checked out, if one has. */
    public Optional<Worktree> checkedOut(Path dir, String branch) {
        return worktrees(dir).stream().filter(w -> branch.equals(w.branch())).findFirst();
    }

    /** Makes a worktree at {@code at} with a detached HEAD at {@code startPoint}. */
    public void addWorktree(Path repo, Path at, String startPoint) {
        must(repo, "worktree", "add", "--detach", at.toString(), startPoint);
    }

    /**
     * Removes the worktree at {@code at} as git allows: never with {@code --force}, so git refuses (and this throws)
     * when it has changes or untracked files.
     */
    public void removeWorktree(Path repo, Path at) {
        must(repo, "worktree", "remove", at.toString());
    }

    /**
     * What is changed or untracked in the working tree {@code dir}, one {@code git status --porcelain} line each,
     * leaving out the paths that match the globs {@code ignored} (the untracked files rulemux itself copied in).
     */
    public List<String> changes(Path dir, List<String> ignored) {
        List<java.nio.file.PathMatcher> skip = ignored.stream()
                .map(g -> java.nio.file.FileSystems.getDefault().getPathMatcher("glob:" + g)).toList();
        List<String> out = new ArrayList<>();
        for (String line : must(dir, "status", "--porcelain", "--untracked-files=all").split("\n")) {
            if (line.isBlank()) {
                continue;
            }
            String path = line.length() > 3 ? line.substring(3) : line;
            String plain = path.startsWith("\"") && path.endsWith("\"") ? path.substring(1, path.length() - 1) : path;
            if (skip.stream().noneMatch(m -> m.matches(Path.of(plain)))) {
                out.add(line);
            }
        }
        return out;
    }

    /**
     * Checks out {@code branch} in the worktree {@code dir}: made at {@code startPoint} when it does not exist yet,
     * taken up again as it is when it does (a task sent again to the same agent goes on where it was).
     */
    public void switchTo(Path dir, String branch, String startPoint) {
        if (branchExists(dir, branch)) {
            must(dir, "switch", branch);
        } else {
            must(dir, "switch", "-c", branch, startPoint);
        }
    }

    /**
     * Commits everything changed or added in the worktree {@code dir} except what the globs {@code excluded} match, as one
     * commit saying {@code message}; an identity is given only when the repository has none.
     *
     * @return true when there was something to commit
     */
    public boolean commitAll(Path dir, String message, List<String> excluded) {
        List<String> add = new ArrayList<>(List.of("add", "-A", "--", "."));
        // the untracked files the globs match, each left out by name (a pattern naming an ignored file makes add fail)
        List<String> all = changes(dir, List.of());
        List<String> kept = changes(dir, excluded);
        for (String line : all) {
            if (!kept.contains(line) && line.startsWith("?? ")) {
                add.add(":(exclude,literal)" + line.substring(3));
            }
        }
        must(dir, add.toArray(String[]::new));
        if (run(dir, "diff", "--cached", "--quiet").ok()) {
            return false;
        }
        List<String> commit = new ArrayList<>();
        if (!run(dir, "config", "user.email").ok()) {
            commit.addAll(List.of("-c", "user.name=rulemux", "-c", "user.email=rulemux@localhost"));
        }
        commit.addAll(List.of("commit", "-q", "--no-verify", "-m", message));
        must(dir, commit.toArray(String[]::new));
        return true;
    }

    /** True when commit {@code ancestor} is {@code descendant} or in its history. */
    public boolean isAncestor(Path dir, String ancestor, String descendant) {
        Exec.Result r = run(dir, "merge-base", "--is-ancestor", ancestor, descendant);
        if (r.exitCode() == 0 || r.exitCode() == 1) {
            return r.exitCode() == 0;
        }
        throw new GitException("git merge-base --is-ancestor " + ancestor + " " + descendant + " failed: " + r.err().strip());
    }

    /**
     * Merges {@code branch} into {@code base} without any working tree: the merged tree is computed by
     * {@code merge-tree --write-tree}, committed with both as parents, and {@code base} moved to it only if it still
     * points where it pointed before (a compare-and-swap). Nothing changes on a conflict; a branch already in the base
     * is merged already; a base checked out in some worktree (someone's working tree) is not moved, since that would
     * leave their files and index behind the branch they are on.
     */
    public Merge merge(Path repo, String base, String branch, String message) {
        String baseRef = "refs/heads/" + base;
        String baseAt = commit(repo, baseRef).orElseThrow(() -> new GitException("the base branch " + base + " does not exist"));
        String branchAt = commit(repo, "refs/heads/" + branch).orElseThrow(() -> new GitException("the branch " + branch + " does not exist"));
        if (isAncestor(repo, branchAt, baseAt)) {
            return new Merge.Merged(baseAt, true);
        }
        Optional<Worktree> holder = checkedOut(repo, base);
        if (holder.isPresent()) {
            return new Merge.Held(base + " is checked out in " + holder.get().path() + ", and rulemux does not move a branch "
                    + "under a working tree: merge it there (git merge " + branch + "), or give the agents a base nobody has checked out");
        }
        Exec.Result tree = run(repo, "merge-tree", "--write-tree", "--name-only", "--no-messages", baseAt, branchAt);
        String[] lines = tree.out().split("\n");
        if (tree.exitCode() == 1) {
            List<String> files = new ArrayList<>();
            for (int i = 1; i < lines.length && !lines[i].isBlank(); i++) {
                files.add(lines[i].strip());
            }
            return new Merge.Conflict(files.stream().distinct().toList());
        }
        if (!tree.ok()) {
            throw new GitException("git merge-tree of " + base + " and " + branch + " failed (exit " + tree.exitCode() + "): "
                    + tree.err().strip());
        }
        String treeId = lines[0].strip();
        List<String> commitTree = new ArrayList<>();
        if (!run(repo, "config", "user.email").ok()) {
            commitTree.addAll(List.of("-c", "user.name=rulemux", "-c", "user.email=rulemux@localhost"));
        }
        commitTree.addAll(List.of("commit-tree", treeId, "-p", baseAt, "-p", branchAt, "-m", message));
        String merged = must(repo, commitTree.toArray(String[]::new)).strip();
        must(repo, "update-ref", "-m", "rulemux: " + message, baseRef, merged, baseAt);
        return new Merge.Merged(merged, false);
    }

    /** True when git ignores {@code path} in {@code dir} (.gitignore and the like). */
    public boolean ignored(Path dir, String path) {
        return run(dir, "check-ignore", "-q", "--", path).ok();
    }
}
