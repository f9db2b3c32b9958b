package dev.rulemux.git;

import dev.rulemux.proc.Exec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Test helper: a real git repository in a temp directory, driven as a person would drive it. */
public final class GitRepo {

    public final Path dir;

    private GitRepo(Path dir) {
        this.dir = dir;
    }

    /** A repository at {@code dir} on branch {@code main} with one commit holding README.md. */
    public static GitRepo init(Path dir) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        GitRepo repo = new GitRepo(dir);
        repo.git("init", "-q", "-b", "main");
        repo.git("config", "user.name", "Test Person");
        repo.git("config", "user.email", "person@example.com");
        repo.write("README.md", "# project\n");
        repo.git("add", "README.md");
        repo.git("commit", "-q", "-m", "first");
        return repo;
    }

    /** Runs git in the repository; fails the test when git fails. */
    public String git(String... args) {
        return gitIn(dir, args);
    }

    public static String gitIn(Path where, String... args) {
        List<String> argv = new ArrayList<>(List.of("git"));
        argv.addAll(List.of(args));
        Exec.Result r = Exec.run(Exec.Call.of(argv, Duration.ofSeconds(30)).in(where));
        if (!r.ok()) {
            throw new AssertionError("git " + String.join(" ", args) + " failed: " + r.err() + r.out());
        }
        return r.out();
    }

    public void write(String file, String text) {
        try {
            Path p = dir.resolve(file);
            Files.createDirectories(p.getParent());
            Files.writeString(p, text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public String read(String file) {
        try {
            return Files.readString(dir.resolve(file));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A file as branch {@code branch} holds it. */
    public String show(String branch, String file) {
        return git("show", branch + ":" + file);
    }

    /** {@code git status --porcelain} of the main checkout. */
    public String status() {
        return git("status", "--porcelain", "--untracked-files=all");
    }
}
