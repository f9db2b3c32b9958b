package dev.rulemux.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rulemux.App;
import dev.rulemux.domain.TaskState;
import dev.rulemux.board.Journal;
import dev.rulemux.board.TaskRecord;
import dev.rulemux.store.AgentStore;
import dev.rulemux.store.StateStore;
import java.io.PrintWriter;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Optional;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code rulemux status [--json]}: the agents as the loop last saw them, and the tasks. */
@Command(name = "status", mixinStandardHelpOptions = true,
        description = {"Show each agent (status, task, context used, since when) as rulemux run last saw it, and each "
                + "task (state, agent, attempts), from the state database; nothing is captured from tmux.",
                "When rulemux run last recorded the agents more than 10 s ago (no loop is running) they are shown \"as of\" "
                        + "that time, after a line saying plainly that no run is running (reports, new tasks and retries "
                        + "wait for one). Agents of agents.yaml that no loop has seen yet are unknown. Tasks of tasks.yaml that "
                        + "no run has loaded yet are shown as PENDING* (in JSON: \"loaded\": false); nothing is written."})
public final class StatusCommand implements Callable<Integer> {

    /** Agents' rows older than this are shown "as of" their time. */
    static final long FRESH_MS = 10_000;

    @Mixin
    ConfigOption config;

    @Option(names = "--json", description = "One JSON document: {\"agents\": [...], \"tasks\": [...]}.")
    boolean json;

    @Spec
    CommandSpec spec;

    private final App app;

    public StatusCommand(App app) {
        this.app = app;
    }

    /** An agent as shown: its row from the loop, or null when no loop has seen it. */
    private record Shown(String name, Journal.AgentState state) {
    }

    @Override
    public Integer call() {
        StateAccess access = StateAccess.of(app, spec, config);
        List<String> declared = access.declaredAgents();
        Map<String, String> hosts = access.hostsOfAgents();
        List<AgentStore.AgentRow> rows;
        List<TaskRecord> tasks;
        Map<String, dev.rulemux.domain.TaskBranch> branches = new LinkedHashMap<>();
        // No state yet (no run, start or task add here): nothing is created; the team and tasks.yaml are shown as declared.
        Optional<StateStore> state = access.openReadOnlyIfAny();
        try (StateStore store = state.orElse(null)) {
            rows = store == null ? List.of() : store.agentRows();
            tasks = store == null ? List.of() : store.records();
            if (store != null) {
                store.branches().branches().forEach(b -> branches.put(b.task(), b));
            }
        }
        List<TaskRecord> notLoaded = access.declaredNotLoaded(tasks);
        Map<String, Shown> agents = new LinkedHashMap<>();
        declared.forEach(n -> agents.put(n, new Shown(n, null)));
        rows.forEach(r -> agents.put(r.state().name(), new Shown(r.state().name(), r.state().updatedAt() > 0 ? r.state() : null)));
        long now = app.clock().millis();
        PrintWriter out = spec.commandLine().getOut();
        long lastLook = rows.stream().mapToLong(r -> r.state().updatedAt()).max().orElse(0);
        boolean running = StateAccess.loopRunning(lastLook, now);
        if (json) {
            Views.print(out, json(running, lastLook, agents, hosts, tasks, notLoaded, branches));
            return ExitCodes.OK;
        }
        if (!running) {
            out.println(StateAccess.noLoop(lastLook, now) + ": reports, new tasks and retries wait until one starts (rulemux run)");
        }
        if (agents.isEmpty()) {
            out.println("agents: none in agents.yaml, none seen by rulemux run");
        } else {
            if (lastLook == 0) {
                out.println("agents (no rulemux run has looked at them yet):");
            } else if (now - lastLook > FRESH_MS) {
                out.printf("agents as of %s (%s ago, when rulemux run last recorded them):%n", Views.clock(lastLook, now),
                        Views.age(now - lastLook));
            } else {
                out.println("agents:");
            }
            // a team spread over hosts shows each agent's (this machine's as "local"); one on this machine alone does not
            boolean spread = !hosts.isEmpty();
            TextTable table = spread ? new TextTable("AGENT", "HOST", "STATUS", "TASK", "CONTEXT", "SINCE")
                    : new TextTable("AGENT", "STATUS", "TASK", "CONTEXT", "SINCE");
            agents.values().forEach(a -> {
                Journal.AgentState s = a.state();
                List<String> cells = new java.util.ArrayList<>(s == null ? List.of(a.name(), "unknown", "", "", "never seen")
                        : java.util.Arrays.asList(a.name(), s.status().name(), s.task(),
                                s.contextUsed() == null ? "" : s.contextUsed() + "%", Views.clock(s.since(), now)));
                if (spread) {
                    cells.add(1, hosts.getOrDefault(a.name(), "local"));
                }
                table.row(cells.toArray(String[]::new));
            });
            table.print(out);
        }
        out.println();
        if (tasks.isEmpty() && notLoaded.isEmpty()) {
            out.println("tasks: none");
        } else {
            Map<TaskState, Long> counts = tasks.stream().collect(Collectors.groupingBy(TaskRecord::state,
                    () -> new EnumMap<>(TaskState.class), Collectors.counting()));
            List<String> parts = new java.util.ArrayList<>(counts.entrySet().stream()
                    .map(e -> e.getValue() + " " + Views.lower(e.getKey())).toList());
            if (!notLoaded.isEmpty()) {
                parts.add(notLoaded.size() + " declared in tasks.yaml, not yet loaded");
            }
            out.println("tasks: " + String.join(", ", parts));
            boolean onBranches = !branches.isEmpty();
            TextTable table = onBranches ? new TextTable("TASK", "STATE", "AGENT", "ATTEMPTS", "BRANCH", "MERGE")
                    : new TextTable("TASK", "STATE", "AGENT", "ATTEMPTS");
            tasks.forEach(r -> {
                dev.rulemux.domain.TaskBranch b = branches.get(r.id());
                if (onBranches) {
                    table.row(r.id(), r.state().name(), Views.agentOf(r), r.attempts() + "/" + r.spec().maxAttempts(),
                            b == null ? "" : b.branch() + " -> " + b.base(), b == null ? "" : b.merge().name()
                                    + (b.conflicts().isEmpty() ? "" : " (" + String.join(", ", b.conflicts()) + ")"));
                } else {
                    table.row(r.id(), r.state().name(), Views.agentOf(r), r.attempts() + "/" + r.spec().maxAttempts());
                }
            });
            notLoaded.forEach(r -> {
                if (onBranches) {
                    table.row(r.id(), r.state().name() + StateAccess.NOT_LOADED_MARK, Views.agentOf(r),
                            r.attempts() + "/" + r.spec().maxAttempts(), "", "");
                } else {
                    table.row(r.id(), r.state().name() + StateAccess.NOT_LOADED_MARK, Views.agentOf(r),
                            r.attempts() + "/" + r.spec().maxAttempts());
                }
            });
            table.print(out);
            if (!notLoaded.isEmpty()) {
                out.println(StateAccess.NOT_LOADED_NOTE);
            }
        }
        out.flush();
        return ExitCodes.OK;
    }

    private static ObjectNode json(boolean running, long lastLook, Map<String, Shown> agents, Map<String, String> hosts,
                                   List<TaskRecord> tasks,
                                   List<TaskRecord> notLoaded, Map<String, dev.rulemux.domain.TaskBranch> branches) {
        ObjectNode doc = Views.JSON.createObjectNode();
        ObjectNode loop = doc.putObject("loop");
        loop.put("running", running);
        loop.put("last_seen", lastLook <= 0 ? null : Views.iso(lastLook));
        ArrayNode a = doc.putArray("agents");
        agents.values().forEach(shown -> {
            ObjectNode o = a.addObject();
            Journal.AgentState s = shown.state();
            o.put("name", shown.name());
            o.put("host", hosts.get(shown.name()));
            o.put("status", s == null ? "UNKNOWN" : s.status().name());
            o.put("seen", s != null);
            o.put("task", s == null ? null : s.task());
            if (s == null || s.contextUsed() == null) {
                o.putNull("context_used_percent");
            } else {
                o.put("context_used_percent", s.contextUsed());
            }
            o.put("since", s == null ? null : Views.iso(s.since()));
            o.put("reason", s == null ? null : s.reason());
            o.put("updated_at", s == null ? null : Views.iso(s.updatedAt()));
        });
        ArrayNode t = doc.putArray("tasks");
        tasks.forEach(r -> Views.branch(task(t, r), branches.get(r.id())));
        notLoaded.forEach(r -> task(t, r).put("loaded", false));
        return doc;
    }

    private static ObjectNode task(ArrayNode t, TaskRecord r) {
        ObjectNode o = t.addObject();
        o.put("id", r.id());
        o.put("state", r.state().name());
        o.put("agent", r.agent());
        o.put("last_agent", r.lastAgent());
        o.put("attempts", r.attempts());
        o.put("max_attempts", r.spec().maxAttempts());
        return o;
    }
}
