package dev.rulemux.config;

import dev.rulemux.domain.Answer;
import dev.rulemux.domain.Durations;
import dev.rulemux.domain.Role;
import dev.rulemux.domain.Tier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Reads and validates a config directory: {@code agents.yaml}, {@code tasks.yaml}, the profiles and the
 * policy knobs. Every problem found is reported at once, each with file, line and field.
 */
public final class ConfigLoader {

    public static final String AGENTS_FILE = "agents.yaml";
    public static final String TASKS_FILE = "tasks.yaml";
    public static final String POLICY_FILE = "policy.yaml";
    /** Where an agent works when its {@code workdir} is not given: this folder of the config directory. */
    public static final String DEFAULT_WORKDIR = "work";
    /** Says that an agent may write rulemux's own configuration (on an agent, or on the team for all). */
    static final String TRUST_WORKDIR_CONFIG = "trust_workdir_config";
    /** How the warning about a trusted workdir starts; {@code run} and {@code start} print those warnings. */
    public static final String TRUSTED_WORKDIR = "TRUSTED (" + TRUST_WORKDIR_CONFIG + ": true)";

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]*");
    /**
     * A host as ssh takes it: {@code box}, {@code user@box.example.org}, an {@code ~/.ssh/config} entry. It may not
     * start with "-" (ssh would read an option) and holds no space, quote or shell character.
     */
    static final Pattern HOST = Pattern.compile("([A-Za-z0-9_][A-Za-z0-9._-]*@)?[A-Za-z0-9_][A-Za-z0-9._-]*");
    private static final Pattern ENV_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    private final Sources sources;
    private final Problems problems = new Problems();
    /** The team's {@code trust_workdir_config}, the default of every agent's. */
    private boolean teamTrustsWorkdirs;

    private ConfigLoader(Sources sources) {
        this.sources = sources;
    }

    /** Loads the config directory {@code dir} with the usual layers. */
    public static Config load(Path dir) {
        return load(Sources.forConfigDir(dir));
    }

    public static Config load(Sources sources) {
        return new ConfigLoader(sources).load();
    }

    /** Reads only {@code tasks.yaml} (for reloading it during a run); the team is needed to check tiers. */
    public static List<TaskSpec> loadTasks(Sources sources, TeamConfig team) {
        ConfigLoader loader = new ConfigLoader(sources);
        List<TaskSpec> tasks = loader.readTasks();
        loader.checkTasks(tasks, team);
        loader.problems.throwIfAny();
        return tasks;
    }

    private Config load() {
        Path dir = sources.configDir();
        if (!Files.isDirectory(dir)) {
            problems.add(dir, 0, null, "is not a directory (give the config directory with --config)");
            problems.throwIfAny();
        }
        Map<String, Profile> profiles = readProfiles();
        Map<String, PromptTemplate> prompts = readPrompts();
        PolicySettings policy = readPolicy();
        checkProfileKnobs(profiles, policy);
        checkKnobsTheRulesRead(policy);
        TeamConfig team = readTeam(profiles, policy);
        List<TaskSpec> tasks = readTasks();
        if (team != null) {
            checkTasks(tasks, team);
        }
        problems.throwIfAny();
        return new Config(sources, team, tasks, profiles, policy, prompts, problems.warnings());
    }

    // ---------------------------------------------------------------- agents.yaml

    private TeamConfig readTeam(Map<String, Profile> profiles, PolicySettings policy) {
        Path file = sources.configDir().resolve(AGENTS_FILE);
        if (!Files.isRegularFile(file)) {
            problems.add(file, 0, null, "is missing: every config directory needs an agents.yaml");
            return null;
        }
        YamlNode root = YamlReader.read(file, problems);
        if (root == null) {
            return null;
        }
        Optional<Fields> maybe = Fields.of(root, "", problems);
        if (maybe.isEmpty()) {
            return null;
        }
        Fields f = maybe.get();
        String session = f.requiredText("session");
        if (session != null && !NAME.matcher(session).matches()) {
            f.problem("session", "must be letters, digits, '-' or '_' (it is a tmux session name), not \"" + session + "\"");
        }
        String socket = f.text("socket").orElse(null);
        if (socket != null && !NAME.matcher(socket).matches()) {
            f.problem("socket", "must be letters, digits, '-' or '_' (it is a tmux -L socket name), not \"" + socket + "\"");
        }
        List<String> notify = command(f, "notify", false);
        Path sshConfig = f.text("ssh_config").map(this::resolve).orElse(null);
        if (sshConfig != null && !Files.isRegularFile(sshConfig)) {
            f.problem("ssh_config", "is not a file: " + sshConfig);
        }
        teamTrustsWorkdirs = f.flag(TRUST_WORKDIR_CONFIG, false);
        Retention retention = f.nested("retention", Retention::read).orElse(Retention.DEFAULT);
        Set<String> names = new HashSet<>();
        List<AgentSpec> agents = f.list("agents", a -> readAgent(a, profiles, policy));
        checkUnique(f, "agents", "name");
        if (!f.has("agents")) {
            problems.add(file, f.line(), "agents", "is missing: declare at least one agent");
        } else if (agents.isEmpty() && problems.isEmpty()) {
            f.problem("agents", "must declare at least one agent");
        }
        agents.forEach(a -> names.add(a.name()));
        for (int i = 0; i < agents.size(); i++) {
            AgentSpec a = agents.get(i);
            if (a.backup() == null) {
                continue;
            }
            if (a.backup().equals(a.name())) {
                problems.add(file, a.line(), "agents[" + i + "].backup", "an agent cannot be its own backup");
            } else if (!names.contains(a.backup())) {
                problems.add(file, a.line(), "agents[" + i + "].backup",
                        "names no agent: \"" + a.backup() + "\" (agents: " + String.join(", ", names.stream().sorted().toList()) + ")");
            }
        }
        f.done();
        return new TeamConfig(file, session, socket, notify, agents, retention, sshConfig);
    }

    private AgentSpec readAgent(Fields a, Map<String, Profile> profiles, PolicySettings policy) {
        String name = a.requiredText("name");
        if (name != null && !NAME.matcher(name).matches()) {
            a.problem("name", "must be letters, digits, '-' or '_' (it names a tmux window), not \"" + name + "\"");
        }
        String profile = a.requiredText("profile");
        if (profile != null && !profiles.containsKey(profile)) {
            a.problem("profile", "names no profile: \"" + profile + "\" (profiles: "
                    + String.join(", ", new TreeMap<>(profiles).keySet()) + "; add profiles/" + profile + ".yaml)");
        }
        List<String> command = command(a, "command", true);
        if (!command.isEmpty() && command.get(0).contains("=")) {
            a.problem("command", "must start with the program, not \"" + command.get(0) + "\" (set variables under env:)");
        }
        String host = a.text("host").orElse(null);
        if (host != null && !HOST.matcher(host).matches()) {
            a.problem("host", "must be a host name, user@host or an ~/.ssh/config entry (letters, digits, '.', '-', '_', "
                    + "one '@'), not \"" + host + "\"");
        }
        Path workdir;
        boolean trusted = a.flag(TRUST_WORKDIR_CONFIG, teamTrustsWorkdirs);
        if (host != null) {
            // a directory on the host: not checked here (it is checked when the agent's window is made there)
            workdir = a.text("workdir").map(Path::of).orElse(null);
            if (workdir != null && !workdir.isAbsolute()) {
                a.problem("workdir", "must be an absolute path on host " + host + ", not \"" + workdir + "\"");
            }
        } else {
            workdir = a.text("workdir").map(w -> resolve(w)).orElse(sources.configDir().resolve(DEFAULT_WORKDIR));
            if (a.has("workdir") && !Files.isDirectory(workdir)) {
                a.problem("workdir", "is not a directory: " + workdir);
            }
            checkWorkdir(a, name, workdir, trusted);
        }
        Map<String, String> env = a.textMap("env");
        for (String key : env.keySet()) {
            if (!ENV_NAME.matcher(key).matches()) {
                a.problem("env", "\"" + key + "\" is not a valid environment variable name");
            }
        }
        Tier tier = a.requiredChoice("tier", Tier.class);
        String backup = a.text("backup").orElse(null);
        Role role = a.choice("role", Role.class, Role.WORKER);
        Answer approvals = a.choice("approvals", Answer.class, Answer.ASK);
        Answer startup = a.choice("startup_dialogs", Answer.class, Answer.ASK);
        Map<String, String> overrides = a.textMap("policy");
        for (Map.Entry<String, String> e : overrides.entrySet()) {
            if (!policy.values().containsKey(e.getKey())) {
                problems.add(a.node().file(), lineIn(a, "policy", e.getKey()), a.field("policy") + "." + e.getKey(),
                        "is not a policy knob (knobs: " + String.join(", ", new TreeMap<>(policy.values()).keySet()) + ")");
            } else {
                checkKnobValue(e.getValue(), policy.values().get(e.getKey()), a.node().file(),
                        lineIn(a, "policy", e.getKey()), a.field("policy") + "." + e.getKey());
            }
        }
        Isolation isolation = readIsolation(a, workdir);
        if (isolation.worktree() && a.has("host")) {
            a.problem("isolation", "worktree is for agents on this machine: rulemux makes the worktree and merges it here, "
                    + "and an agent on a host works in that host's directories (use isolation: none there)");
        }
        if (name == null || profile == null || tier == null || command.isEmpty()) {
            return null;
        }
        return new AgentSpec(name, profile, command, workdir, env, tier, backup, role, approvals, startup,
                overrides, a.line(), host, isolation);
    }

    /**
     * {@code isolation: none | worktree}, and with a worktree its {@code base} branch, the untracked files to
     * {@code include} and a {@code setup} command. A worktree needs a {@code workdir} in a git repository; the
     * worktree-only fields on an agent that shares its workdir are refused rather than silently ignored.
     */
    private Isolation readIsolation(Fields a, Path workdir) {
        Isolation.Mode mode = a.choice("isolation", Isolation.Mode.class, Isolation.Mode.NONE);
        String base = a.text("base").orElse(null);
        List<String> include = a.texts("include");
        List<String> setup = a.has("setup") ? command(a, "setup", false) : List.of();
        if (mode != Isolation.Mode.WORKTREE) {
            for (String key : List.of("base", "include", "setup")) {
                if (a.has(key)) {
                    a.problem(key, "only applies to an agent with isolation: worktree");
                }
            }
            return Isolation.NONE;
        }
        if (base == null) {
            a.problem("isolation", "worktree needs base: the branch its tasks start from and are merged back into (one nobody "
                    + "has checked out, such as team; made from the commit checked out in workdir when missing)");
        }
        if (base != null && !base.matches("[A-Za-z0-9._/-]+") || base != null && (base.startsWith("-") || base.contains(".."))) {
            a.problem("base", "must be a branch name (letters, digits, '.', '_', '/', '-'), not \"" + base + "\"");
        }
        for (String glob : include) {
            if (glob.startsWith("/") || glob.contains("..")) {
                a.problem("include", "must name files inside the repository (no absolute path, no ..), not \"" + glob + "\"");
            }
        }
        if (!a.has("workdir")) {
            a.problem("isolation", "worktree needs a workdir: the git repository (or a folder in it) the agent's worktree is made from");
        } else if (Files.isDirectory(workdir) && gitRepositoryOf(workdir).isEmpty()) {
            a.problem("isolation", "worktree needs a workdir inside a git repository, and " + workdir + " is in none (git init it, or use isolation: none)");
        }
        return new Isolation(mode, base, include, setup);
    }

    /** The folder of {@code dir} or above it that holds a {@code .git} (a repository or a worktree), if any. */
    private static Optional<Path> gitRepositoryOf(Path dir) {
        for (Path d = dir.toAbsolutePath().normalize(); d != null; d = d.getParent()) {
            if (Files.exists(d.resolve(".git"))) {
                return Optional.of(d);
            }
        }
        return Optional.empty();
    }

    /**
     * An agent may not work where rulemux's own configuration lives: the rules are Java the loop runs, tasks.yaml
     * holds the verify commands it runs, and all of it is reloaded while the loop runs, so an agent that can write
     * files there can run code in rulemux. A workdir holding the config directory, or holding or inside a rules,
     * profiles or prompts folder of any layer, is refused unless the agent (or the team) says
     * {@code trust_workdir_config: true}, which turns the refusal into a loud warning.
     */
    private void checkWorkdir(Fields a, String name, Path workdir, boolean trusted) {
        Optional<String> exposed = exposedBy(workdir);
        if (exposed.isEmpty()) {
            return;
        }
        String who = name == null ? "this agent" : "agent " + name;
        if (trusted) {
            problems.warn(a.node().file(), a.lineOf("workdir"), a.field("workdir"), TRUSTED_WORKDIR + ": "
                    + who + "'s workdir " + workdir + " " + exposed.get() + ", so " + who
                    + " can change the rules (Java run by rulemux), the verify commands and the profiles rulemux reloads");
        } else {
            a.problem("workdir", who + "'s workdir " + workdir + " " + exposed.get() + ": an agent that writes files there "
                    + "can change the rules (Java run by rulemux), the verify commands of tasks.yaml and the profiles, which "
                    + "rulemux reloads while it runs. Give it its own directory (by default it works in "
                    + sources.configDir().resolve(DEFAULT_WORKDIR) + "), or, to allow it knowingly, set "
                    + TRUST_WORKDIR_CONFIG + ": true on the agent or the team");
        }
    }

    /** What of rulemux's configuration {@code workdir} exposes ("contains the config directory …"), if anything. */
    private Optional<String> exposedBy(Path workdir) {
        List<Path> work = forms(workdir);
        if (contains(work, forms(sources.configDir()))) {
            return Optional.of("contains the config directory " + sources.configDir());
        }
        for (Path layer : sources.layers()) {
            if (layer.getFileSystem() != workdir.getFileSystem()) {
                continue; // the copies inside the jar: nobody writes those
            }
            for (String folder : List.of("rules", "profiles", "prompts")) {
                Path dir = layer.toAbsolutePath().normalize().resolve(folder);
                List<Path> protectedForms = forms(dir);
                if (contains(work, protectedForms)) {
                    return Optional.of("contains the " + folder + " directory " + dir);
                }
                if (contains(protectedForms, work)) {
                    return Optional.of("is inside the " + folder + " directory " + dir);
                }
            }
        }
        return Optional.empty();
    }

    /** True when a form of {@code outer} is, or is an ancestor of, a form of {@code inner}. */
    private static boolean contains(List<Path> outer, List<Path> inner) {
        return outer.stream().anyMatch(o -> inner.stream().anyMatch(i -> i.startsWith(o)));
    }

    /** The path as written (absolute, normalised) and, when it exists, with its symbolic links resolved. */
    private static List<Path> forms(Path path) {
        Path plain = path.toAbsolutePath().normalize();
        try {
            Path real = plain.toRealPath();
            return real.equals(plain) ? List.of(plain) : List.of(plain, real);
        } catch (java.io.IOException | SecurityException e) {
            return List.of(plain);
        }
    }

    /** Reports every value of {@code field} that two items of the list {@code listKey} share, at the second one's line. */
    private void checkUnique(Fields f, String listKey, String field) {
        if (!(f.node().entries().get(listKey) instanceof YamlNode.Seq seq)) {
            return;
        }
        Map<String, Integer> firstLine = new HashMap<>();
        for (int i = 0; i < seq.items().size(); i++) {
            if (seq.items().get(i) instanceof YamlNode.Mapping m
                    && m.entries().get(field) instanceof YamlNode.Scalar s && s.text() != null) {
                Integer first = firstLine.putIfAbsent(s.text(), m.lineOf(field));
                if (first != null) {
                    problems.add(m.file(), m.lineOf(field), listKey + "[" + i + "]." + field,
                            "\"" + s.text() + "\" is used twice (first on line " + first + ")");
                }
            }
        }
    }

    /** A command: an argv list, or one line split like a shell would split words (no shell ever runs it). */
    private List<String> command(Fields f, String key, boolean required) {
        Optional<YamlNode> node = f.raw(key);
        if (node.isEmpty()) {
            if (required) {
                problems.add(f.node().file(), f.line(), f.field(key), "is missing (how to launch the agent's CLI)");
            }
            return List.of();
        }
        List<String> argv;
        if (node.get() instanceof YamlNode.Scalar s) {
            try {
                argv = Argv.split(s.text());
            } catch (IllegalArgumentException e) {
                f.problem(key, e.getMessage());
                return List.of();
            }
        } else {
            argv = f.texts(key);
        }
        if (argv.isEmpty()) {
            f.problem(key, "must not be empty");
        }
        return argv;
    }

    private Path resolve(String path) {
        String p = path.trim();
        if (p.equals("~") || p.startsWith("~/")) {
            p = System.getProperty("user.home") + p.substring(1);
        }
        return sources.configDir().resolve(p).normalize();
    }

    // ---------------------------------------------------------------- tasks.yaml

    private List<TaskSpec> readTasks() {
        return TaskReader.readTasksFile(sources.configDir().resolve(TASKS_FILE), sources.configDir(), problems);
    }

    private void checkTasks(List<TaskSpec> tasks, TeamConfig team) {
        Path file = sources.configDir().resolve(TASKS_FILE);
        TaskReader.checkDependencies(tasks, Map.of(), file, i -> "tasks[" + i + "].depends_on", "depends_on", problems);
        Set<Tier> tiers = new HashSet<>();
        team.agents().forEach(a -> tiers.add(a.tier()));
        for (int i = 0; i < tasks.size(); i++) {
            TaskSpec t = tasks.get(i);
            if (!tiers.contains(t.complexity())) {
                problems.warn(file, t.line(), "tasks[" + i + "].complexity", "no agent has tier "
                        + t.complexity().label() + ", so task " + t.id() + " waits unless the policy lets another tier take it");
            }
        }
    }

    // ---------------------------------------------------------------- profiles and policy

    private Map<String, Profile> readProfiles() {
        Map<String, Profile> out = new TreeMap<>();
        for (Sources.Found found : sources.list("profiles", ".yaml")) {
            String name = found.name().substring(0, found.name().length() - ".yaml".length());
            Profile p = ProfileReader.read(name, found.path(), problems);
            if (p != null) {
                out.put(name, p);
            }
        }
        return out;
    }

    private void checkProfileKnobs(Map<String, Profile> profiles, PolicySettings policy) {
        for (Profile p : profiles.values()) {
            p.policy().forEach((k, v) -> {
                if (!policy.values().containsKey(k)) {
                    problems.add(p.file(), 0, "policy." + k, "is not a policy knob (knobs: "
                            + String.join(", ", new TreeMap<>(policy.values()).keySet()) + ")");
                } else {
                    checkKnobValue(v, policy.values().get(k), p.file(), 0, "policy." + k);
                }
            });
        }
    }

    private Map<String, PromptTemplate> readPrompts() {
        Map<String, PromptTemplate> out = new TreeMap<>();
        for (Sources.Found found : sources.list("prompts", ".md")) {
            String name = found.name().substring(0, found.name().length() - ".md".length());
            PromptTemplate t = PromptTemplate.read(name, found.path(), problems);
            if (t != null) {
                out.put(name, t);
            }
        }
        return out;
    }

    private PolicySettings readPolicy() {
        Map<String, String> values = new LinkedHashMap<>();
        Map<String, Path> origin = new LinkedHashMap<>();
        List<Sources.Found> files = new ArrayList<>(sources.all("rules", POLICY_FILE));
        java.util.Collections.reverse(files); // least specific first, so that later files override
        for (Sources.Found found : files) {
            YamlNode root = YamlReader.read(found.path(), problems);
            if (root == null) {
                continue;
            }
            if (root instanceof YamlNode.Scalar s && s.text() == null) {
                continue;
            }
            if (!(root instanceof YamlNode.Mapping m)) {
                problems.add(root, "", "must be a mapping of knob: value");
                continue;
            }
            m.entries().forEach((key, node) -> {
                if (!(node instanceof YamlNode.Scalar s) || s.text() == null) {
                    problems.add(found.path(), m.lineOf(key), key, "must be a single value (a duration, a number or a text)");
                    return;
                }
                String previous = values.get(key);
                if (previous != null) {
                    checkKnobValue(s.text(), previous, found.path(), m.lineOf(key), key);
                }
                values.put(key, s.text());
                origin.put(key, found.path());
            });
        }
        return new PolicySettings(values, origin);
    }

    /**
     * Every knob a DRL rule reads by name must be defined by {@code policy.yaml}: a misspelt knob is reported here,
     * at the rule's file and line, and not first while the rules run.
     */
    private void checkKnobsTheRulesRead(PolicySettings policy) {
        for (Sources.Found found : sources.list("rules", ".drl")) {
            try {
                String text = Files.readString(found.path(), java.nio.charset.StandardCharsets.UTF_8);
                KnobReferences.undefined(found.path(), text, policy.values().keySet())
                        .forEach(p -> problems.add(p.file(), p.line(), p.field(), p.message()));
            } catch (java.io.IOException e) {
                problems.add(found.path(), 0, null, "cannot be read: " + e.getMessage());
            }
        }
    }

    /**
     * The names of the policy's knobs as {@code sources} define them (every layer's {@code rules/policy.yaml}
     * merged), for checking rules edited while a run goes on; a broken file contributes what can be read of it.
     */
    public static Set<String> knobNames(Sources sources) {
        return new ConfigLoader(sources).readPolicy().values().keySet();
    }

    /** A knob overriding another must be of the same kind: a duration for a duration, a number for a number. */
    private void checkKnobValue(String value, String shipped, Path file, int line, String field) {
        if ((field.equals("merge") || field.endsWith(".merge")) && !value.trim().matches("auto|manual")) {
            problems.add(file, line, field, "must be auto or manual, not \"" + value + "\"");
            return;
        }
        if (isDuration(shipped) && !isDuration(value)) {
            problems.add(file, line, field, "must be a duration such as 90s or 2m (like \"" + shipped + "\"), not \"" + value + "\"");
        } else if (isNumber(shipped) && !isNumber(value)) {
            problems.add(file, line, field, "must be a number (like \"" + shipped + "\"), not \"" + value + "\"");
        }
    }

    private static boolean isDuration(String v) {
        if (isNumber(v)) {
            return false;
        }
        try {
            Durations.parse(v);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static boolean isNumber(String v) {
        return v.trim().matches("\\d+%?");
    }

    private static int lineIn(Fields f, String mapKey, String key) {
        YamlNode node = f.node().entries().get(mapKey);
        if (node instanceof YamlNode.Mapping m) {
            return m.lineOf(key);
        }
        return f.lineOf(mapKey);
    }
}
