package dev.rulemux.devtools;

import dev.rulemux.devtools.ScreenScenarios.Plan;
import dev.rulemux.devtools.ScreenScenarios.Step;
import dev.rulemux.proc.Exec;
import dev.rulemux.sim.MockModelServer;
import dev.rulemux.sim.RealClis;
import dev.rulemux.sim.RealClis.Cli;
import dev.rulemux.sim.RealClis.Sandbox;
import dev.rulemux.tmux.Tmux;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * Records the reference screens that the status detection is tested against, from the real agent CLIs:
 * each CLI runs in a private tmux server (no tmux.conf), started from {@code bash --norc}, against a
 * {@link MockModelServer}, and is driven into each scenario (idle, working, approval dialog, usage limit…);
 * the pane is captured with {@code tmux capture-pane -p} into {@code <out>/<profile>/<scenario>.txt}, and
 * {@code <out>/<profile>/README.md} says for each fixture how it was recorded. When a pinned CLI version
 * moves, re-recording is one command: {@code scripts/record-screens}.
 *
 * <p>Waits are on screen conditions with timeouts. A scenario that times out is not written: its last screen
 * goes to {@code <workRoot>/failed/<profile>/<scenario>.txt} and the result says what it waited for.
 * Takes run in parallel ({@link Request#jobs()}); the tmux server, the CLIs' strays and the mocks are ended
 * when the recording ends, however it ends.
 */
public final class ScreenRecorder {

    /** Where the fixtures live in this repository. */
    public static final Path DEFAULT_OUT = Path.of("src/test/resources/screens");
    /**
     * Where the CLIs run: a fixed path, because it shows on their screens, so that a re-recording differs
     * only where the CLIs do. Each profile's workdir is {@code <workRoot>/<profile>/project}.
     */
    public static final Path DEFAULT_WORK_ROOT = Path.of("/tmp/rulemux-screens");
    public static final int DEFAULT_JOBS = 4;
    private static final String OWNED_MARKER = ".rulemux-screens";

    /** Whose screens to record, and the profile directory they go to. */
    public enum Target {
        CLAUDE_CODE("claude-code", Cli.CLAUDE, "Claude Code"),
        CODEX("codex", Cli.CODEX, "Codex"),
        GEMINI("gemini", Cli.GEMINI, "Gemini CLI"),
        QWEN_CODE("qwen-code", Cli.QWEN, "Qwen Code"),
        OPENCODE("opencode", Cli.OPENCODE, "opencode"),
        SHELL("shell", null, "bash");

        private final String profile;
        private final Cli cli;
        private final String title;

        Target(String profile, Cli cli, String title) {
            this.profile = profile;
            this.cli = cli;
            this.title = title;
        }

        /** The profile name, also the fixture directory's name. */
        public String profile() {
            return profile;
        }

        /** The agent CLI, empty for the plain shell. */
        public Optional<Cli> cli() {
            return Optional.ofNullable(cli);
        }

        public String title() {
            return title;
        }

        /** {@code claude} or {@code claude-code}, {@code codex}, {@code gemini}, {@code shell}. */
        public static Optional<Target> named(String name) {
            String n = name.strip().toLowerCase(Locale.ROOT);
            for (Target t : values()) {
                if (t.profile.equals(n) || (t.cli != null && t.cli.executable().equals(n))) {
                    return Optional.of(t);
                }
            }
            return Optional.empty();
        }
    }

    /**
     * One recording.
     *
     * @param out      the fixture root ({@code <out>/<profile>/<scenario>.txt})
     * @param targets  the profiles to record
     * @param only     the scenarios to write (empty: all); the steps leading up to them run anyway
     * @param workRoot where the CLIs run and failed screens go (see {@link #DEFAULT_WORK_ROOT})
     * @param jobs     how many takes run at once
     */
    public record Request(Path out, Set<Target> targets, Set<String> only, Path workRoot, int jobs) {

        public Request {
            targets = targets.isEmpty() ? EnumSet.allOf(Target.class) : EnumSet.copyOf(targets);
            only = Set.copyOf(only);
            if (jobs < 1) {
                throw new IllegalArgumentException("jobs must be at least 1: " + jobs);
            }
        }

        /** Everything, into {@code out}. */
        public static Request all(Path out) {
            return new Request(out, EnumSet.allOf(Target.class), Set.of(), DEFAULT_WORK_ROOT, DEFAULT_JOBS);
        }

        boolean wants(String scenario) {
            return only.isEmpty() || only.contains(scenario);
        }
    }

    /**
     * What became of one scenario: written to {@code file}, or not, with the {@code problem}; for a failure
     * {@code lastScreen} is where the last screen was kept.
     */
    public record Recorded(Target target, String scenario, Optional<Path> file, Optional<String> problem,
            Optional<Path> lastScreen) {

        public boolean ok() {
            return problem.isEmpty();
        }

        /** One line for the user. */
        public String describe() {
            if (ok()) {
                return "wrote " + file.map(Path::toString).orElse(target.profile() + "/" + scenario);
            }
            return "FAILED " + target.profile() + "/" + scenario + ": " + problem.get()
                    + lastScreen.map(p -> " (last screen in " + p + ")").orElse("");
        }
    }

    private final Clock clock;

    public ScreenRecorder(Clock clock) {
        this.clock = clock;
    }

    /** The scenarios {@code target} records, in order. */
    public static List<String> scenarios(Target target) {
        return ScreenScenarios.scenarioNames(target);
    }

    /** The scenarios {@code target} does not record, with the reason. */
    public static Map<String, String> notRecorded(Target target) {
        return ScreenScenarios.notRecorded(target);
    }

    /**
     * Records what {@code request} asks for, telling {@code progress} about each scenario as it is written or
     * fails; returns them all.
     *
     * @throws IllegalStateException when tmux or the CLIs are missing, or another recording holds the work root
     */
    public List<Recorded> record(Request request, Consumer<Recorded> progress) throws IOException {
        if (Tmux.version().isEmpty()) {
            throw new IllegalStateException("tmux is not installed: it is needed to record screens");
        }
        boolean needsClis = request.targets().stream().anyMatch(t -> t.cli().isPresent());
        Optional<RealClis> clis = RealClis.locate();
        if (needsClis && clis.isEmpty()) {
            throw new IllegalStateException("the agent CLIs are not installed: run scripts/install-clis (or set "
                    + RealClis.DIR_ENV + ")");
        }
        Path workRoot = request.workRoot().toAbsolutePath().normalize();
        claim(workRoot);
        try (FileChannel lockFile = FileChannel.open(workRoot.resolve(".lock"), StandardOpenOption.CREATE,
                StandardOpenOption.WRITE); FileLock lock = lockFile.tryLock()) {
            if (lock == null) {
                throw new IllegalStateException("another recording is using " + workRoot);
            }
            return recordLocked(request, workRoot, clis, progress);
        }
    }

    private List<Recorded> recordLocked(Request request, Path workRoot, Optional<RealClis> clis,
            Consumer<Recorded> progress) throws IOException {
        List<Plan> plans = new ArrayList<>();
        for (Target target : request.targets()) {
            List<Plan> own = ScreenScenarios.plans(target);
            own.stream().filter(p -> p.fixtures().stream().anyMatch(request::wants)).forEach(plans::add);
            prepareDirs(workRoot, target);
        }
        // The longest takes of every profile first: each profile's plans are listed longest first.
        List<Plan> ordered = new ArrayList<>(plans);
        ordered.sort(Comparator.comparingInt(p -> ScreenScenarios.plans(p.target()).stream()
                .map(Plan::name).toList().indexOf(p.name())));

        Path homes = recreate(workRoot.resolve("homes"));
        Tmux tmux = Tmux.withoutUserConfig("rulemux-rec-" + UUID.randomUUID().toString().substring(0, 8));
        Thread cleanup = new Thread(tmux::killServer, "record-screens-cleanup");
        Runtime.getRuntime().addShutdownHook(cleanup);
        ExecutorService pool = Executors.newFixedThreadPool(request.jobs(), r -> {
            Thread t = new Thread(r, "record-screens");
            t.setDaemon(true);
            return t;
        });
        Context context = new Context(request, workRoot, homes, tmux, clis, progress, LocalDate.now(clock));
        List<Recorded> all = new ArrayList<>();
        Map<Target, List<FixtureReadme.Section>> sections = new LinkedHashMap<>();
        try {
            // A session that lasts the whole recording: without it the server would exit whenever no take
            // runs, and killServer could neither find it nor remove its socket file.
            tmux.newSession("recorder", "hold", workRoot, Map.of(), List.of("sleep", "86400"), 80, 24);
            List<Future<TakeResult>> results = new ArrayList<>();
            for (Plan plan : ordered) {
                results.add(pool.submit(() -> runTake(plan, context)));
            }
            for (Future<TakeResult> f : results) {
                TakeResult result = f.get();
                all.addAll(result.recorded());
                sections.computeIfAbsent(result.target(), t -> new ArrayList<>()).addAll(result.sections());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while recording", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("a take failed unexpectedly: " + e.getCause(), e.getCause());
        } finally {
            pool.shutdownNow();
            tmux.killServer();
            try {
                Runtime.getRuntime().removeShutdownHook(cleanup);
            } catch (IllegalStateException shuttingDown) {
                // the hook runs anyway
            }
            deleteTree(homes);
        }
        for (Target target : request.targets()) {
            List<FixtureReadme.Section> written = sections.getOrDefault(target, List.of());
            if (!written.isEmpty()) {
                FixtureReadme.update(request.out().resolve(target.profile()).resolve("README.md"),
                        header(target, context), written, scenarios(target), notRecorded(target));
            }
        }
        return all;
    }

    /** What every take needs. */
    private record Context(Request request, Path workRoot, Path homes, Tmux tmux, Optional<RealClis> clis,
            Consumer<Recorded> progress, LocalDate date) {

        Path workdir(Target target) {
            return target == Target.SHELL ? workRoot.resolve(target.profile())
                    : workRoot.resolve(target.profile()).resolve("project");
        }
    }

    private record TakeResult(Target target, List<Recorded> recorded, List<FixtureReadme.Section> sections) {
    }

    /** Runs one plan in a fresh program; never throws for the program's misbehaviour. */
    private TakeResult runTake(Plan plan, Context context) {
        Target target = plan.target();
        List<Recorded> recorded = new ArrayList<>();
        List<FixtureReadme.Section> sections = new ArrayList<>();
        int last = lastWantedStep(plan, context.request());
        ScreenTake take = null;
        int step = 0;
        try {
            take = start(plan, context);
            for (; step <= last; step++) {
                Step s = plan.steps().get(step);
                int notesBefore = take.notes().size();
                String screen = s.action().run(take);
                if (s.fixture().isPresent() && context.request().wants(s.fixture().get())) {
                    String scenario = s.fixture().get();
                    Path file = write(context.request().out().resolve(target.profile()).resolve(scenario + ".txt"), screen);
                    take.log("captured the pane (`tmux capture-pane -p`) as `%s`", scenario);
                    List<String> notes = take.notes().subList(notesBefore, take.notes().size());
                    sections.add(section(plan, scenario, take.log(), notes, context));
                    report(context, recorded, new Recorded(target, scenario, Optional.of(file), Optional.empty(),
                            Optional.empty()));
                }
            }
        } catch (RuntimeException e) {
            String problem = e instanceof ScreenTake.TimedOut ? e.getMessage() : e.toString();
            String screen = e instanceof ScreenTake.TimedOut t ? t.screen() : null;
            boolean first = true;
            for (int i = step; i <= last && i < plan.steps().size(); i++) {
                Optional<String> fixture = plan.steps().get(i).fixture().filter(context.request()::wants);
                if (fixture.isEmpty()) {
                    continue;
                }
                Optional<Path> kept = Optional.empty();
                if (first && screen != null) {
                    kept = Optional.of(keepFailed(context, target, fixture.get(), screen));
                }
                report(context, recorded, new Recorded(target, fixture.get(), Optional.empty(),
                        Optional.of(first ? problem : "not reached: " + problem), kept));
                first = false;
            }
            if (first) {
                report(context, recorded, new Recorded(target, plan.name(), Optional.empty(), Optional.of(problem),
                        Optional.empty()));
            }
        } finally {
            if (take != null) {
                take.close();
            }
        }
        return new TakeResult(target, recorded, sections);
    }

    private static int lastWantedStep(Plan plan, Request request) {
        int last = -1;
        for (int i = 0; i < plan.steps().size(); i++) {
            if (plan.steps().get(i).fixture().filter(request::wants).isPresent()) {
                last = i;
            }
        }
        return last;
    }

    private static ScreenTake start(Plan plan, Context context) {
        String session = plan.target().profile() + "-" + plan.name();
        Path workdir = context.workdir(plan.target());
        if (plan.target() == Target.SHELL) {
            return ScreenTake.shell(context.tmux(), session, workdir, Map.of("HOME", context.homes().toString()));
        }
        RealClis clis = context.clis().orElseThrow();
        MockModelServer mock = MockModelServer.start(0);
        Sandbox sandbox;
        try {
            sandbox = clis.prepare(plan.target().cli().orElseThrow(), workdir, mock.baseUrl(), context.homes(),
                    plan.options());
        } catch (RuntimeException e) {
            mock.close();
            throw e;
        }
        return ScreenTake.cli(context.tmux(), session, sandbox, mock, clis.binDir());
    }

    private static void report(Context context, List<Recorded> recorded, Recorded r) {
        recorded.add(r);
        synchronized (context.progress()) {
            context.progress().accept(r);
        }
    }

    private FixtureReadme.Section section(Plan plan, String scenario, List<String> log, List<String> notes,
            Context context) {
        StringBuilder body = new StringBuilder();
        body.append("Recorded ").append(context.date()).append(" from ").append(versionLine(plan.target(), context))
                .append(", take `").append(plan.name()).append("`")
                .append(plan.fixtures().size() > 1 ? " (shared with " + String.join(", ", plan.fixtures().stream()
                        .filter(f -> !f.equals(scenario)).map(f -> "`" + f + "`").toList()) + ")" : "")
                .append(optionsNote(plan)).append(":\n\n");
        int n = 1;
        for (String line : log) {
            body.append(n++).append(". ").append(line).append("\n");
        }
        for (String note : notes) {
            body.append("\n").append(note).append("\n");
        }
        return new FixtureReadme.Section(scenario, body.toString());
    }

    private static String optionsNote(Plan plan) {
        List<String> differences = new ArrayList<>();
        if (!plan.options().trusted()) {
            differences.add("workdir not trusted");
        }
        if (plan.options().claudeSubscription()) {
            differences.add("logged in with a (fake) Claude subscription token instead of an API key");
        }
        return differences.isEmpty() ? "" : "; " + String.join(", ", differences);
    }

    private String header(Target target, Context context) {
        String tmuxVersion = Tmux.version().orElse("tmux");
        StringBuilder h = new StringBuilder();
        h.append("# ").append(target.title()).append(" screens\n\n");
        h.append("Reference screens for the status detection of the `").append(target.profile())
                .append("` profile, recorded from the real program by `scripts/record-screens` ")
                .append("(`dev.rulemux.devtools.ScreenRecorder`). Each `<scenario>.txt` is exactly what `tmux capture-pane -p` ")
                .append("printed for a ").append(ScreenTake.WIDTH).append('x').append(ScreenTake.HEIGHT)
                .append(" pane (").append(tmuxVersion).append(", a private server started without a tmux.conf).\n\n");
        h.append("- Program: ").append(versionLine(target, context)).append(".\n");
        if (target == Target.SHELL) {
            h.append("- Started as `bash --norc` with PS1 `").append(ScreenTake.PS1).append("`, in `")
                    .append(context.workdir(target)).append("`.\n");
        } else {
            h.append("- Started from `bash --norc` (PS1 `").append(ScreenTake.PS1).append("`) with its name typed, in `")
                    .append(context.workdir(target)).append("` (an empty git repository), in a throw-away home ")
                    .append("made by `RealClis.prepare`, against the mock model server: the `[mock …]` directives in ")
                    .append("the prompts script its answers (docs/real-clis.md).\n");
            h.append("- Prompts are delivered the way rulemux does it (paste-buffer -p, ")
                    .append(ScreenTake.SUBMIT_DELAY.toMillis()).append(" ms, Enter) unless a step says otherwise. ")
                    .append("Each take is a fresh program; the fixtures of one take follow each other.\n");
        }
        h.append("- Expect drift: spinner verbs, tips, clock times and session ids differ from run to run.\n");
        return h.toString();
    }

    private static String versionLine(Target target, Context context) {
        if (target == Target.SHELL) {
            Exec.Result r = Exec.run(List.of("bash", "-c", "echo $BASH_VERSION"), Duration.ofSeconds(5));
            return "bash " + (r.ok() ? r.out().strip() : "(version unknown)");
        }
        Cli cli = target.cli().orElseThrow();
        String installed = context.clis().flatMap(c -> c.installedVersion(cli)).orElse("(version unknown)");
        return target.title() + " " + installed + (installed.equals(cli.version()) ? "" : " (pinned: " + cli.version() + ")");
    }

    /**
     * Makes sure {@code workRoot} is ours to clean: a new directory, or one that a recording made before
     * (it holds the marker file). Refuses any other non-empty directory.
     */
    private static void claim(Path workRoot) throws IOException {
        if (Files.isDirectory(workRoot) && !Files.exists(workRoot.resolve(OWNED_MARKER))) {
            try (Stream<Path> entries = Files.list(workRoot)) {
                if (entries.findAny().isPresent()) {
                    throw new IllegalStateException(workRoot + " exists and was not made by a recording: "
                            + "choose another work root");
                }
            }
        }
        Files.createDirectories(workRoot);
        Files.writeString(workRoot.resolve(OWNED_MARKER), "made by dev.rulemux.devtools.ScreenRecorder; deleted and remade on each recording\n",
                StandardCharsets.UTF_8);
    }

    /** A fresh workdir for {@code target} (a git repository for the CLIs: Codex asks for trust only in one). */
    private static void prepareDirs(Path workRoot, Target target) throws IOException {
        deleteTree(workRoot.resolve("failed").resolve(target.profile()));
        Path dir = recreate(workRoot.resolve(target.profile()));
        if (target == Target.SHELL) {
            return;
        }
        Path project = Files.createDirectories(dir.resolve("project"));
        Exec.Result git = Exec.run(Exec.Call.of(List.of("git", "init", "-q", "--initial-branch=main", project.toString()),
                Duration.ofSeconds(20)));
        if (!git.ok()) {
            throw new IllegalStateException("cannot make " + project + " a git repository: " + git.describe());
        }
    }

    private static Path keepFailed(Context context, Target target, String scenario, String screen) {
        Path file = context.workRoot().resolve("failed").resolve(target.profile()).resolve(scenario + ".txt");
        try {
            return write(file, screen);
        } catch (UncheckedIOException e) {
            return file;
        }
    }

    /** Writes through a temporary file and a rename, so a fixture is never half written. */
    private static Path write(Path file, String text) {
        try {
            Files.createDirectories(file.getParent());
            Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
            Files.writeString(tmp, text, StandardCharsets.UTF_8);
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    private static Path recreate(Path dir) throws IOException {
        deleteTree(dir);
        return Files.createDirectories(dir);
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
