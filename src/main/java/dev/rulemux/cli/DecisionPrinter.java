package dev.rulemux.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rulemux.domain.AboutAgent;
import dev.rulemux.domain.Action;
import dev.rulemux.domain.Agent;
import dev.rulemux.domain.AgentStatus;
import dev.rulemux.domain.Marker;
import dev.rulemux.domain.StatusEvidence;
import dev.rulemux.loop.Decider;
import dev.rulemux.rules.FiredRule;
import dev.rulemux.screen.Observation;
import dev.rulemux.text.JsonEscapes;
import dev.rulemux.text.TerminalText;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Prints a decision for people (a table) or for programs (one JSON object per line). */
final class DecisionPrinter {

    private static final ObjectMapper JSON = JsonEscapes.applyTo(new ObjectMapper());

    private final PrintWriter out;
    private final Map<String, String> ruleLocations;

    /** The turns over on screen since a prompt was delivered, by agent (decide --delivered-on), shown with --explain. */
    private final Map<String, dev.rulemux.domain.TurnOnScreen> turns;

    DecisionPrinter(PrintWriter out, Map<String, String> ruleLocations) {
        this(out, ruleLocations, Map.of());
    }

    DecisionPrinter(PrintWriter out, Map<String, String> ruleLocations, Map<String, dev.rulemux.domain.TurnOnScreen> turns) {
        this.out = out;
        this.ruleLocations = ruleLocations;
        this.turns = Map.copyOf(turns);
    }

    void table(Decider.Outcome outcome, boolean explain) {
        int width = 5;
        for (String agent : outcome.observations().keySet()) {
            width = Math.max(width, agent.length());
        }
        String row = "%-" + width + "s  %-17s  %-9s  %s%n";
        printf(row, "AGENT", "STATUS", "CONTEXT", "WHY");
        for (Map.Entry<String, Observation> e : outcome.observations().entrySet()) {
            String agent = e.getKey();
            Optional<AgentStatus> status = outcome.decision().statusOf(agent);
            printf(row, agent, status.map(s -> s.status().name()).orElse("-"),
                    e.getValue().contextUsedPercent().map(p -> p + "% used").orElse("-"),
                    status.map(AgentStatus::reason).orElse("no rule classified it"));
            if (explain) {
                for (Marker m : e.getValue().markers()) {
                    printf("    marker %-14s /%s/ matched line %d from bottom: %s%n", m.kind(), m.pattern(),
                            m.fromBottom(), m.line().strip());
                }
                for (StatusEvidence ev : outcome.decision().evidence()) {
                    if (ev.agent().equals(agent)) {
                        printf("    evidence %-17s rank %3d %-6s: %s%n", ev.status(), ev.rank(),
                                ev.source().name().toLowerCase(java.util.Locale.ROOT), ev.reason());
                    }
                }
                if (turns.containsKey(agent)) {
                    printf("    turn over on screen since %s was delivered: %s%n", turns.get(agent).task(), turns.get(agent).line());
                }
            }
        }
        out.println();
        List<Action> actions = outcome.decision().actions();
        if (actions.isEmpty()) {
            out.println("no actions");
        } else {
            int typeWidth = 6;
            for (Action a : actions) {
                typeWidth = Math.max(typeWidth, a.type().wireName().length());
            }
            String actionRow = "%-" + typeWidth + "s  %-" + width + "s  %-8s  %s%n";
            printf(actionRow, "ACTION", "AGENT", "TASK", "REASON");
            for (Action a : actions) {
                String detail = a.target() != null ? " [to " + a.target() + "]" : a.keys().isEmpty() ? "" : " [keys " + String.join(" ", a.keys()) + "]";
                printf(actionRow, a.type().wireName(), a.agent(), a.task() == null ? "-" : a.task(), a.reason() + detail);
            }
        }
        List<dev.rulemux.domain.TaskTransition> moves = outcome.decision().transitions();
        if (!moves.isEmpty()) {
            out.println();
            int taskWidth = 4;
            for (dev.rulemux.domain.TaskTransition t : moves) {
                taskWidth = Math.max(taskWidth, t.task().length());
            }
            String moveRow = "%-" + taskWidth + "s  %-11s  %s%n";
            printf(moveRow, "TASK", "BECOMES", "REASON");
            for (dev.rulemux.domain.TaskTransition t : moves) {
                printf(moveRow, t.task(), t.to().name(), t.reason());
            }
        }
        if (explain) {
            out.println();
            out.println("rules fired:");
            for (FiredRule f : outcome.decision().fired()) {
                printf("  %-28s %s%s%n", f.file(), f.rule(), agentsOf(f).isEmpty() ? "" : "  (" + String.join(", ", agentsOf(f)) + ")");
                for (Object inserted : f.inserted()) {
                    if (inserted instanceof dev.rulemux.domain.ClaimWait w) {
                        printf("  %-28s   %s%n", "", w.reason()); // why a task waits: which task holds which files
                    } else if (inserted instanceof dev.rulemux.domain.IsolationWait w) {
                        printf("  %-28s   %s%n", "", w.reason()); // why a task waits: the isolation it asks for
                    }
                }
            }
        }
        out.flush();
    }

    void json(Decider.Outcome outcome, boolean explain) {
        for (Map.Entry<String, Observation> e : outcome.observations().entrySet()) {
            String agent = e.getKey();
            ObjectNode status = JSON.createObjectNode();
            status.put("kind", "status");
            status.put("agent", agent);
            Optional<AgentStatus> s = outcome.decision().statusOf(agent);
            status.put("status", s.map(x -> x.status().name()).orElse(null));
            Optional<Integer> used = e.getValue().contextUsedPercent();
            if (used.isPresent()) {
                status.put("context_used_percent", used.get());
            } else {
                status.putNull("context_used_percent");
            }
            status.put("reason", s.map(AgentStatus::reason).orElse(null));
            line(status);
            if (explain) {
                for (Marker m : e.getValue().markers()) {
                    ObjectNode n = JSON.createObjectNode();
                    n.put("kind", "marker");
                    n.put("agent", agent);
                    n.put("marker", m.kind().name());
                    n.put("pattern", m.pattern());
                    n.put("line", m.line().strip());
                    n.put("from_bottom", m.fromBottom());
                    n.put("value", m.value());
                    line(n);
                }
                for (StatusEvidence ev : outcome.decision().evidence()) {
                    if (ev.agent().equals(agent)) {
                        ObjectNode n = JSON.createObjectNode();
                        n.put("kind", "evidence");
                        n.put("agent", agent);
                        n.put("status", ev.status().name());
                        n.put("rank", ev.rank());
                        n.put("reason", ev.reason());
                        n.put("source", ev.source().name().toLowerCase(java.util.Locale.ROOT));
                        line(n);
                    }
                }
                if (turns.containsKey(agent)) {
                    ObjectNode n = JSON.createObjectNode();
                    n.put("kind", "turn");
                    n.put("agent", agent);
                    n.put("task", turns.get(agent).task());
                    n.put("line", turns.get(agent).line());
                    line(n);
                }
            }
        }
        for (Action a : outcome.decision().actions()) {
            ObjectNode n = JSON.createObjectNode();
            n.put("kind", "action");
            n.put("action", a.type().wireName());
            n.put("agent", a.agent());
            n.put("task", a.task());
            n.put("reason", a.reason());
            if (a.target() != null) {
                n.put("target", a.target());
            }
            if (!a.keys().isEmpty()) {
                ArrayNode keys = n.putArray("keys");
                a.keys().forEach(keys::add);
            }
            line(n);
        }
        if (explain) {
            // the tasks' moves, with --explain only: a reader of the plain lines gets statuses, then actions
            for (dev.rulemux.domain.TaskTransition t : outcome.decision().transitions()) {
                ObjectNode n = JSON.createObjectNode();
                n.put("kind", "transition");
                n.put("task", t.task());
                n.put("to", t.to().name());
                n.put("reason", t.reason());
                line(n);
            }
            for (FiredRule f : outcome.decision().fired()) {
                ObjectNode n = JSON.createObjectNode();
                n.put("kind", "rule");
                n.put("rule", f.rule());
                n.put("at", f.file());
                ArrayNode agents = n.putArray("agents");
                agentsOf(f).forEach(agents::add);
                line(n);
            }
        }
        out.flush();
    }

    /** One line of the table, its text from screens and rules shown inert ({@link TerminalText#line}). */
    private void printf(String format, Object... args) {
        out.println(TerminalText.line(String.format(format.replace("%n", ""), args)));
    }

    private void line(ObjectNode node) {
        try {
            out.println(JSON.writeValueAsString(node));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The agents a fired rule was about, from the facts it matched. */
    private static List<String> agentsOf(FiredRule f) {
        Set<String> agents = new LinkedHashSet<>();
        for (Object fact : f.facts()) {
            if (fact instanceof AboutAgent about) {
                agents.add(about.agent());
            } else if (fact instanceof Agent agent) {
                agents.add(agent.name());
            }
        }
        return new ArrayList<>(agents);
    }
}
