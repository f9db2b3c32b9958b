package dev.rulemux.loop;

import dev.rulemux.config.AgentSpec;
import dev.rulemux.config.Config;
import dev.rulemux.config.Profile;
import dev.rulemux.config.PromptFile;
import dev.rulemux.config.TaskSpec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns tasks into the text typed into an agent, from the templates in {@code prompts/}. A text larger
 * than the profile's {@code max_inline_bytes} is written to a file under {@code .rulemux/prompts/} and the
 * agent is told, in a short prompt, to read that file.
 */
public final class Prompts {

    private final Config config;
    private final Clock clock;

    public Prompts(Config config, Clock clock) {
        this.config = config;
        this.clock = clock;
    }

    /** The variables every template about {@code task} on {@code agent} may use. */
    public Map<String, String> variables(TaskSpec task, AgentSpec agent) {
        Map<String, String> v = new HashMap<>();
        v.put("task.id", task.id());
        v.put("task.title", task.title());
        v.put("task.prompt", promptOf(task));
        v.put("task.files", String.join(", ", task.files()));
        v.put("task.complexity", task.complexity().label());
        v.put("task.priority", task.priority().label());
        v.put("task.verify", task.verify() == null ? "" : task.verify());
        v.put("agent.name", agent.name());
        v.put("agent.role", agent.role().name().toLowerCase(java.util.Locale.ROOT));
        v.put("agent.tier", agent.tier().label());
        v.put("agent.backup", agent.backup() == null ? "" : agent.backup());
        v.put("rulemux", dev.rulemux.proc.SelfCommand.display());
        v.put("config.dir", config.dir().toString());
        v.put("report.done", reportCommand(agent, "done", task.id(), "<one-line summary>"));
        v.put("report.blocked", reportCommand(agent, "blocked", task.id(), "<what blocks you>"));
        return v;
    }

    /**
     * The shell command with which {@code agent} reports {@code task}: {@code rulemux report} on this machine; on
     * another host, where rulemux is not installed, setting its own pane's {@code @rulemux-report} option, which the
     * loop reads (and clears) through the host's connection.
     */
    static String reportCommand(AgentSpec agent, String outcome, String task, String note) {
        if (agent.remote()) {
            return "tmux set-option -p @rulemux-report \"" + outcome + " " + task + " " + note + "\"";
        }
        return dev.rulemux.proc.SelfCommand.display() + " report " + outcome + " " + task + " --note \"" + note + "\"";
    }

    /** The prompt for {@code task} on {@code agent}, ready to type (through a file when it is large). */
    public String forTask(TaskSpec task, AgentSpec agent, Map<String, String> extra) {
        return forTask(task, agent, extra, "task");
    }

    /**
     * The prompt for {@code task} on {@code agent} from {@code prompts/<template>.md} ({@code task}, or
     * {@code retry} after a failed verification), with the instructions of the agent's role
     * ({@code prompts/worker.md} or {@code prompts/orchestrator.md}) as {@code {{role.instructions}}}.
     */
    public String forTask(TaskSpec task, AgentSpec agent, Map<String, String> extra, String template) {
        Map<String, String> v = variables(task, agent);
        v.putAll(extra);
        String role = agent.role().name().toLowerCase(java.util.Locale.ROOT);
        v.put("role.instructions", config.prompts().containsKey(role) ? config.prompt(role).render(v) : "");
        String text = config.prompt(template).render(v);
        return inlineOrFile(text, task, agent, v);
    }

    /** Any template (reminder, handoff…) about {@code task} on {@code agent}. */
    public String render(String template, TaskSpec task, AgentSpec agent, Map<String, String> extra) {
        Map<String, String> v = task == null ? new HashMap<>() : variables(task, agent);
        if (task == null) {
            v.put("agent.name", agent.name());
        }
        v.putAll(extra);
        return config.prompt(template).render(v);
    }

    /** {@code text} as is when the agent's CLI takes it pasted, else a short prompt pointing at a file holding it. */
    public String inlineOrFile(String text, TaskSpec task, AgentSpec agent, Map<String, String> variables) {
        Profile profile = config.profileOf(agent);
        // an agent on another host cannot read a file of this machine: its prompts are always pasted whole
        if (agent.remote() || profile.delivery().inline(text)) {
            return text;
        }
        Path file = writePromptFile(agent.name(), task == null ? "prompt" : task.id(), text);
        Map<String, String> v = new HashMap<>(variables);
        v.put("file", file.toString());
        if (task == null) {
            v.putIfAbsent("task.id", "prompt");
            v.putIfAbsent("task.title", "a prompt from rulemux send");
        }
        return config.prompt("prompt-file").render(v);
    }

    private Path writePromptFile(String agent, String name, String text) {
        Path dir = config.dir().resolve(".rulemux").resolve("prompts");
        Path file = dir.resolve(agent + "-" + name + "-" + clock.millis() + ".md");
        try {
            Files.createDirectories(dir);
            Files.writeString(file, text, StandardCharsets.UTF_8);
            prune(dir, config.team().retention().promptFilesKept());
            return file.toAbsolutePath();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the prompt file " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * Keeps the newest {@code keep} prompt files of {@code dir} (by modification time, then name), deleting the
     * others; returns how many were deleted.
     */
    static int prune(Path dir, int keep) throws IOException {
        List<Path> files;
        try (java.util.stream.Stream<Path> list = Files.list(dir)) {
            files = list.filter(f -> f.getFileName().toString().endsWith(".md") && Files.isRegularFile(f))
                    .sorted(java.util.Comparator.comparing((Path f) -> modified(f)).thenComparing(Path::getFileName).reversed())
                    .toList();
        }
        int deleted = 0;
        for (Path old : files.subList(Math.min(keep, files.size()), files.size())) {
            if (Files.deleteIfExists(old)) {
                deleted++;
            }
        }
        return deleted;
    }

    private static long modified(Path file) {
        try {
            return Files.getLastModifiedTime(file).toMillis();
        } catch (IOException e) {
            return 0;
        }
    }

    private static String promptOf(TaskSpec task) {
        if (task.prompt() != null) {
            return task.prompt().strip();
        }
        try {
            return PromptFile.read(task.promptFile());
        } catch (PromptFile.Unreadable e) {
            throw new Unbuildable("cannot read prompt_file " + task.promptFile() + " of task " + task.id() + ": it "
                    + e.getMessage());
        }
    }

    /**
     * The prompt of a task cannot be built from what the task says (its prompt_file vanished, or is no longer
     * UTF-8 text): trying again will not help, unlike a failure of tmux.
     */
    public static final class Unbuildable extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Unbuildable(String message) {
            super(message);
        }
    }
}
