package dev.rulemux.cli;

import dev.rulemux.App;
import dev.rulemux.board.TaskRecord;
import dev.rulemux.config.AgentSpec;
import dev.rulemux.config.Config;
import dev.rulemux.config.ConfigLoader;
import dev.rulemux.config.TaskReader;
import dev.rulemux.config.TaskSpec;
import dev.rulemux.domain.Tier;
import dev.rulemux.store.StateStore;
import dev.rulemux.text.TerminalText;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code rulemux task add}: adds tasks to the queue, from flags or from a YAML file. */
@Command(name = "add", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Add a task to the queue (or several, with --from FILE), checked as tasks.yaml is: the fields, that "
                + "every dependency is a task (in the queue or among those added) and that no dependency cycle forms.",
                "A running loop dispatches it from its next tick. Exit code 2 when something is wrong or an id is taken; "
                        + "then nothing is added."})
public final class TaskAddCommand implements Callable<Integer> {

    @Mixin
    ConfigOption config;

    @Option(names = "--id", paramLabel = "ID", description = "Unique id: letters, digits, '-' or '_'.")
    String id;

    @Option(names = "--title", paramLabel = "TEXT", description = "One line for people (default: the id).")
    String title;

    @Option(names = "--complexity", paramLabel = "high|medium|low", description = "The tier of agent it needs (default medium).")
    String complexity;

    @Option(names = "--priority", paramLabel = "high|medium|low", description = "How urgent it is (default medium).")
    String priority;

    @Option(names = "--prompt", paramLabel = "TEXT", description = "The prompt (or --prompt-file).")
    String prompt;

    @Option(names = "--prompt-file", paramLabel = "FILE", description = "A file holding the prompt, read when the task is sent.")
    String promptFile;

    @Option(names = "--depends-on", paramLabel = "ID", split = ",", description = "Tasks that must be completed first (a,b).")
    List<String> dependsOn;

    @Option(names = "--verify", paramLabel = "CMD", description = "A command that checks the work (exit code 0 = done).")
    String verify;

    @Option(names = "--files", paramLabel = "FILE", split = ",", description = "Files the task is about (f1,f2).")
    List<String> files;

    @Option(names = "--max-attempts", paramLabel = "N", description = "Tries before it fails (default 3).")
    String maxAttempts;

    @Option(names = "--isolation", paramLabel = "worktree|none",
            description = "Only an agent in a worktree of its own (worktree) or in the shared checkout (none) takes it (default: any).")
    String isolation;

    @Option(names = "--from", paramLabel = "FILE",
            description = "Read the tasks from a YAML file: a tasks: list as in tasks.yaml, or one task.")
    Path from;

    @Spec
    CommandSpec spec;

    private final App app;

    public TaskAddCommand(App app) {
        this.app = app;
    }

    @Override
    public Integer call() {
        TaskReader.Flags flags = new TaskReader.Flags(id, title, complexity, priority, prompt, promptFile, dependsOn, verify,
                files, maxAttempts, isolation);
        if (from != null && !flags.equals(new TaskReader.Flags(null, null, null, null, null, null, null, null, null, null))) {
            throw new ParameterException(spec.commandLine(), "give the task with flags or with --from FILE, not both");
        }
        StateAccess state = StateAccess.of(app, spec, config);
        PrintWriter out = spec.commandLine().getOut();
        String agent = state.agent();
        String source = agent == null ? "cli" : "agent:" + agent;
        try (StateStore store = state.open()) {
            Map<String, TaskSpec> known = new LinkedHashMap<>();
            store.records().forEach(r -> known.put(r.id(), r.spec()));
            List<TaskSpec> specs = from != null ? TaskReader.readFile(from, known)
                    : List.of(TaskReader.fromFlags(flags, Path.of("").toAbsolutePath(), known));
            List<String> taken = store.addAll(specs, source);
            if (!taken.isEmpty()) {
                throw new CommandRefused(ExitCodes.BAD_INPUT, (taken.size() == 1 ? "task id " + taken.get(0) + " is"
                        : "task ids " + String.join(", ", taken) + " are") + " already taken (see rulemux task show "
                        + taken.get(0) + "); nothing was added");
            }
            state.statusChanged(store);
            Optional<List<AgentSpec>> agents = state.config().map(Config::team).map(t -> t.agents());
            Optional<Set<Tier>> tiers = agents.map(a -> a.stream().map(AgentSpec::tier).collect(Collectors.toSet()));
            for (TaskSpec s : specs) {
                TaskRecord r = store.record(s.id()).orElseThrow();
                out.printf("added %s (%s, priority %s%s) from %s: %s%n", s.id(), s.complexity().label(), s.priority().label(),
                        s.dependsOn().isEmpty() ? "" : ", after " + String.join(", ", s.dependsOn()), r.source(), TerminalText.line(s.title()));
                if (tiers.isPresent() && !tiers.get().contains(s.complexity())) {
                    spec.commandLine().getErr().printf("warning: no agent has tier %s, so %s waits unless the policy lets another "
                            + "tier take it%n", s.complexity().label(), s.id());
                }
                agents.flatMap(a -> ConfigLoader.nobodyWorksAsAsked(s, a))
                        .ifPresent(why -> spec.commandLine().getErr().printf("warning: %s%n", why));
            }
            spec.commandLine().getErr().flush();
        }
        return ExitCodes.OK;
    }
}
