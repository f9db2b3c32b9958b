package dev.rulemux.cli;

import dev.rulemux.devtools.ScreenRecorder;
import dev.rulemux.devtools.ScreenRecorder.Recorded;
import dev.rulemux.devtools.ScreenRecorder.Target;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code rulemux record-screens}: re-records the screen fixtures from the real agent CLIs. */
@Command(name = "record-screens", mixinStandardHelpOptions = true,
        description = {"Record the reference screens of the status detection from the real agent CLIs "
                + "(scripts/install-clis), run in tmux against the mock model server: <out>/<profile>/<scenario>.txt "
                + "and a README.md per profile saying how each was recorded.",
                "Exit code 1 when a scenario could not be recorded (its last screen is kept under <work-root>/failed)."})
public final class RecordScreensCommand implements Callable<Integer> {

    @Option(names = "--out", paramLabel = "DIR", description = "Fixture root (default: ${DEFAULT-VALUE}).",
            defaultValue = "src/test/resources/screens")
    Path out;

    @Option(names = "--cli", paramLabel = "claude|codex|gemini|shell",
            description = "Record only this program's screens; repeatable (default: all, and the plain shell).")
    List<String> clis = new ArrayList<>();

    @Option(names = "--only", paramLabel = "SCENARIO", arity = "1..*",
            description = "Write only these scenarios (idle, working, approval, …); the steps leading up to them still run.")
    List<String> only = new ArrayList<>();

    @Option(names = "--work-root", paramLabel = "DIR", hidden = true,
            description = "Where the CLIs run (shows on their screens; default: ${DEFAULT-VALUE}).",
            defaultValue = "/tmp/rulemux-screens")
    Path workRoot;

    @Option(names = "--jobs", paramLabel = "N", hidden = true, description = "Takes run at once (default: ${DEFAULT-VALUE}).",
            defaultValue = "4")
    int jobs;

    @Spec
    CommandSpec spec;

    private final Clock clock;

    public RecordScreensCommand() {
        this(Clock.systemUTC());
    }

    RecordScreensCommand(Clock clock) {
        this.clock = clock;
    }

    @Override
    public Integer call() throws Exception {
        Set<Target> targets = targets();
        Set<String> scenarios = scenarios(targets);
        PrintWriter printer = spec.commandLine().getOut();
        ScreenRecorder.Request request = new ScreenRecorder.Request(out, targets, scenarios, workRoot, jobs);
        List<Recorded> recorded = new ScreenRecorder(clock).record(request, r -> {
            printer.println(r.describe());
            printer.flush();
        });
        return recorded.stream().allMatch(Recorded::ok) ? ExitCodes.OK : ExitCodes.FAILURE;
    }

    private Set<Target> targets() {
        Set<Target> targets = EnumSet.noneOf(Target.class);
        for (String name : clis) {
            targets.add(Target.named(name).orElseThrow(() -> new ParameterException(spec.commandLine(),
                    "unknown --cli " + name + " (claude, codex, gemini or shell)")));
        }
        return targets.isEmpty() ? EnumSet.allOf(Target.class) : targets;
    }

    /** The --only names, each a scenario of at least one of {@code targets}. */
    private Set<String> scenarios(Set<Target> targets) {
        Set<String> known = new LinkedHashSet<>();
        targets.forEach(t -> known.addAll(ScreenRecorder.scenarios(t)));
        for (String name : only) {
            if (!known.contains(name)) {
                throw new ParameterException(spec.commandLine(), "unknown scenario " + name + " for "
                        + String.join(", ", targets.stream().map(Target::profile).toList()) + " (known: "
                        + String.join(", ", known) + ")");
            }
        }
        return new LinkedHashSet<>(only);
    }
}
