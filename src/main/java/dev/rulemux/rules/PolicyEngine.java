package dev.rulemux.rules;

import dev.rulemux.domain.Action;
import dev.rulemux.domain.AgentStatus;
import dev.rulemux.domain.StatusEvidence;
import dev.rulemux.domain.TaskTransition;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.kie.api.KieBase;
import org.kie.api.KieServices;
import org.kie.api.builder.KieBuilder;
import org.kie.api.builder.KieFileSystem;
import org.kie.api.builder.Message;
import org.kie.api.builder.ReleaseId;
import org.kie.api.event.rule.AfterMatchFiredEvent;
import org.kie.api.event.rule.BeforeMatchFiredEvent;
import org.kie.api.event.rule.DefaultAgendaEventListener;
import org.kie.api.event.rule.DefaultRuleRuntimeEventListener;
import org.kie.api.event.rule.ObjectDeletedEvent;
import org.kie.api.event.rule.ObjectInsertedEvent;
import org.kie.api.runtime.KieContainer;
import org.kie.api.runtime.KieSession;
import org.kie.api.runtime.rule.ConsequenceException;

/**
 * The compiled policy. {@link #compile} builds a rule base from DRL files (reporting each error at its
 * file and line); {@link #decide} runs one tick: a fresh session, the tick's facts, every rule fired,
 * the statuses and actions collected, the session disposed. Nothing here knows what the rules say.
 */
public final class PolicyEngine implements DecisionMaker, AutoCloseable {

    /** More firings than this in one tick means the rules loop (a rule undoing and redoing its own conclusion). */
    static final int MAX_FIRINGS = 100_000;

    private static final Pattern PACKAGE = Pattern.compile("^\\s*package\\s+([\\w.]+)\\s*;?", Pattern.MULTILINE);
    private static final Pattern RULE = Pattern.compile("^[ \\t]*rule\\s+(?:\"([^\"]+)\"|'([^']+)'|(\\S+))", Pattern.MULTILINE);
    private static final AtomicLong BUILDS = new AtomicLong();

    private final KieServices services;
    private final ReleaseId releaseId;
    private final KieBase base;
    private final List<RuleFile> files;
    private final Map<String, String> ruleLocations;

    private PolicyEngine(KieServices services, ReleaseId releaseId, KieBase base, List<RuleFile> files,
                         Map<String, String> ruleLocations) {
        this.services = services;
        this.releaseId = releaseId;
        this.base = base;
        this.files = List.copyOf(files);
        this.ruleLocations = Map.copyOf(ruleLocations);
    }

    /**
     * Compiles {@code files} into a rule base; throws {@link RuleCompileException} listing every error. A build
     * of the same files by the same rulemux is read from the user's cache of compiled policies instead.
     */
    public static PolicyEngine compile(List<RuleFile> files) {
        return compile(files, CompiledPolicyCache.standard(), null);
    }

    /**
     * {@link #compile(List)}, taking the rule base {@code prefetch} read from the cache in the meantime when it was
     * read for these very files (null: none).
     */
    public static PolicyEngine compileWith(List<RuleFile> files, PolicyPrefetch prefetch) {
        return compile(files, CompiledPolicyCache.standard(), prefetch);
    }

    /** {@link #compile(List)} with the compiled policies cached in {@code cacheDir} (null: not cached). */
    public static PolicyEngine compile(List<RuleFile> files, Path cacheDir) {
        return compile(files, CompiledPolicyCache.in(cacheDir), null);
    }

    /** {@link #compileWith(List, PolicyPrefetch)} with the compiled policies cached in {@code cacheDir} (for tests). */
    static PolicyEngine compile(List<RuleFile> files, Path cacheDir, PolicyPrefetch prefetch) {
        return compile(files, CompiledPolicyCache.in(cacheDir), prefetch);
    }

    /** What the cache key of a build of {@code files} is made of: each file's build path and its text. */
    static Map<String, String> buildSources(List<RuleFile> files) {
        Map<String, String> sources = new HashMap<>();
        for (RuleFile file : files) {
            sources.put(buildPath(file), file.text());
        }
        return sources;
    }

    private static String buildPath(RuleFile file) {
        Matcher m = PACKAGE.matcher(file.text());
        String pkg = m.find() ? m.group(1) : "rulemux.policy";
        return "src/main/resources/" + pkg.replace('.', '/') + "/" + file.name();
    }

    private static PolicyEngine compile(List<RuleFile> files, Optional<CompiledPolicyCache> cache, PolicyPrefetch prefetch) {
        if (files.isEmpty()) {
            throw new RuleCompileException(List.of(new RuleError(Path.of("rules"), 0, 0,
                    "no .drl files found: the policy needs rules")));
        }
        Map<String, RuleFile> byBuildPath = new HashMap<>();
        for (RuleFile file : files) {
            byBuildPath.put(buildPath(file), file);
        }
        Map<String, String> sources = buildSources(files);
        String key = cache.isPresent() ? CompiledPolicyCache.key(sources) : null;
        Optional<KieBase> cached = key != null && prefetch != null ? prefetch.take(key) : Optional.empty();
        if (cached.isEmpty()) {
            cached = cache.flatMap(c -> c.load(key));
        }
        if (cached.isPresent()) {
            return new PolicyEngine(null, null, cached.get(), files, locate(files));
        }
        KieServices services = KieServices.Factory.get();
        KieFileSystem kfs = services.newKieFileSystem();
        ReleaseId releaseId = services.newReleaseId("dev.rulemux", "policy", "1.0." + BUILDS.incrementAndGet());
        kfs.generateAndWritePomXML(releaseId);
        sources.forEach(kfs::write);
        KieBuilder builder = services.newKieBuilder(kfs).buildAll();
        List<Message> messages = builder.getResults().getMessages(Message.Level.ERROR);
        if (!messages.isEmpty()) {
            List<RuleError> errors = new ArrayList<>();
            for (Message msg : messages) {
                RuleFile file = fileOf(msg.getPath(), byBuildPath);
                Path where = file != null ? file.path() : Path.of(msg.getPath() == null ? "rules" : msg.getPath());
                String text = clean(msg.getText());
                int line = msg.getLine() > 0 || file == null ? msg.getLine() : lineOfQuotedExpression(text, file.text());
                errors.add(new RuleError(where, line, msg.getColumn(), text));
            }
            errors.sort(Comparator.comparing((RuleError e) -> e.file().toString()).thenComparingInt(RuleError::line));
            throw new RuleCompileException(errors);
        }
        KieContainer container = services.newKieContainer(releaseId);
        KieBase base = container.getKieBase();
        cache.ifPresent(c -> c.store(key, base));
        return new PolicyEngine(services, releaseId, base, files, locate(files));
    }

    /** Whether this rule base was read from the cache of compiled policies rather than compiled. */
    public boolean fromCache() {
        return releaseId == null;
    }

    public List<RuleFile> files() {
        return files;
    }

    /** The names of the rules, each with {@code file:line}. */
    public Map<String, String> ruleLocations() {
        return ruleLocations;
    }

    /** Runs the policy once over {@code facts}. With {@code trace}, records every rule that fired and what it matched. */
    @Override
    public Decision decide(Collection<?> facts, boolean trace) {
        KieSession session = base.newKieSession();
        // What the rules conclude, collected as they insert and delete it: a decision retracted later in the
        // tick (a rule may withdraw one) is not carried out. Identity sets: equal facts are distinct facts.
        Set<Object> decided = Collections.newSetFromMap(new IdentityHashMap<>());
        Set<Object> classified = Collections.newSetFromMap(new IdentityHashMap<>());
        List<Object> decidedInOrder = new ArrayList<>();
        List<FiredRule> fired = new ArrayList<>();
        List<Object> insertedByFiring = new ArrayList<>();
        try {
            session.addEventListener(new DefaultRuleRuntimeEventListener() {
                @Override
                public void objectInserted(ObjectInsertedEvent event) {
                    Object o = event.getObject();
                    if (trace && event.getRule() != null) {
                        insertedByFiring.add(o);
                    }
                    if (o instanceof Action || o instanceof TaskTransition) {
                        decided.add(o);
                        decidedInOrder.add(o);
                    } else if (o instanceof AgentStatus || o instanceof StatusEvidence) {
                        classified.add(o);
                    }
                }

                @Override
                public void objectDeleted(ObjectDeletedEvent event) {
                    Object o = event.getOldObject();
                    decided.remove(o);
                    classified.remove(o);
                }
            });
            if (trace) {
                session.addEventListener(new DefaultAgendaEventListener() {
                    @Override
                    public void beforeMatchFired(BeforeMatchFiredEvent event) {
                        insertedByFiring.clear();
                    }

                    @Override
                    public void afterMatchFired(AfterMatchFiredEvent event) {
                        String name = event.getMatch().getRule().getName();
                        fired.add(new FiredRule(name, ruleLocations.getOrDefault(name, "?"), event.getMatch().getObjects(),
                                insertedByFiring));
                        insertedByFiring.clear();
                    }
                });
            }
            for (Object fact : facts) {
                session.insert(fact);
            }
            int count = session.fireAllRules(MAX_FIRINGS);
            if (count >= MAX_FIRINGS) {
                throw runaway(count);
            }
            List<Object> concluded = new ArrayList<>(classified);
            for (Object o : decidedInOrder) {
                if (decided.contains(o)) {
                    concluded.add(o);
                }
            }
            return collect(concluded, fired);
        } catch (RuntimeException e) {
            throw failure(e);
        } finally {
            session.dispose();
        }
    }

    /**
     * The decision made of what the rules concluded: statuses and evidence (sorted by agent), actions and
     * transitions in the order given.
     */
    static Decision collect(Iterable<Object> concluded, List<FiredRule> fired) {
        List<AgentStatus> statuses = new ArrayList<>();
        List<StatusEvidence> evidence = new ArrayList<>();
        List<Action> actions = new ArrayList<>();
        List<TaskTransition> transitions = new ArrayList<>();
        for (Object o : concluded) {
            if (o instanceof AgentStatus s) {
                statuses.add(s);
            } else if (o instanceof StatusEvidence e) {
                evidence.add(e);
            } else if (o instanceof Action a) {
                actions.add(a);
            } else if (o instanceof TaskTransition t) {
                transitions.add(t);
            }
        }
        statuses.sort(Comparator.comparing(AgentStatus::agent));
        evidence.sort(Comparator.comparing(StatusEvidence::agent).thenComparing(e -> -e.rank()));
        return new Decision(statuses, evidence, actions, transitions, fired);
    }

    /** Whether the policy decides or reports this kind of fact (what a decision is made of). */
    static boolean isConclusion(Object o) {
        return o instanceof Action || o instanceof TaskTransition || o instanceof AgentStatus || o instanceof StatusEvidence;
    }

    KieSession newSession() {
        return base.newKieSession();
    }

    String locationOf(String rule) {
        return ruleLocations.getOrDefault(rule, "?");
    }

    /** What a failure while firing means to the user: the rule that failed, or the matching that did. */
    PolicyFailure failure(RuntimeException e) {
        if (e instanceof PolicyFailure p) {
            return p;
        }
        if (e instanceof ConsequenceException c) {
            String rule = c.getMatch() == null ? "?" : c.getMatch().getRule().getName();
            return new PolicyFailure("rule \"" + rule + "\" (" + locationOf(rule) + ") failed: " + rootMessage(c), c);
        }
        return new PolicyFailure("the policy failed while matching: " + rootMessage(e), e);
    }

    static PolicyFailure runaway(int count) {
        return new PolicyFailure("the rules fired " + count + " times in one tick and were stopped: a rule probably "
                + "undoes and redoes its own conclusion", null);
    }

    /** Forgets this rule base in Drools' module repository (a long run rebuilds many times). */
    @Override
    public void close() {
        if (releaseId != null) {
            services.getRepository().removeKieModule(releaseId);
        }
    }

    private static Map<String, String> locate(List<RuleFile> files) {
        Map<String, String> out = new HashMap<>();
        for (RuleFile file : files) {
            String text = file.text();
            Matcher m = RULE.matcher(text);
            int line = 1;
            int counted = 0; // lines are counted once through the file, not from its start for every rule
            while (m.find()) {
                String name = m.group(1) != null ? m.group(1) : m.group(2) != null ? m.group(2) : m.group(3);
                for (; counted < m.start(); counted++) {
                    if (text.charAt(counted) == '\n') {
                        line++;
                    }
                }
                out.put(name, file.name() + ":" + line);
            }
        }
        return out;
    }

    /** Drools reports paths with or without the {@code src/main/resources/} prefix: match on the end. */
    private static RuleFile fileOf(String messagePath, Map<String, RuleFile> byBuildPath) {
        if (messagePath == null) {
            return null;
        }
        for (Map.Entry<String, RuleFile> e : byBuildPath.entrySet()) {
            if (e.getKey().equals(messagePath) || e.getKey().endsWith("/" + messagePath)) {
                return e.getValue();
            }
        }
        return null;
    }

    private static final Pattern QUOTED_EXPRESSION = Pattern.compile("Unable to (?:Analyse|parse) Expression (.+?):");

    /**
     * Some errors (an expression MVEL cannot type) come without a line; they quote the expression, so find
     * the first line of the file that holds it. Returns 0 when it cannot be found.
     */
    static int lineOfQuotedExpression(String message, String fileText) {
        Matcher m = QUOTED_EXPRESSION.matcher(message);
        if (!m.find()) {
            return 0;
        }
        String expression = m.group(1).trim();
        String[] lines = fileText.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            if (lines[i].replaceAll("\\s+", " ").contains(expression.replaceAll("\\s+", " "))) {
                return i + 1;
            }
        }
        return 0;
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        String message = t.getMessage();
        return message == null ? t.getClass().getSimpleName() : message;
    }

    /** Drools wraps some messages in noise; keep them on one readable line. */
    static String clean(String text) {
        if (text == null) {
            return "";
        }
        return text.replaceAll("\\s*\\n\\s*", " ")
                .replaceAll("\\[Near : \\{.*?\\}\\]", "")
                .replaceAll("\\[Line: \\d+, Column: \\d+\\]", "")
                .replaceAll("\\[Error: (.*?)\\]", "$1")
                .replaceAll("\\s\\^(\\s|$)", " ")
                .replaceAll("\\s{2,}", " ")
                .trim();
    }
}
