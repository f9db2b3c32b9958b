package dev.rulemux.dashboard;

import dev.rulemux.board.Journal;
import dev.rulemux.domain.TaskState;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The frame of {@code rulemux watch}: a {@link TeamView} laid out for a terminal of a given size, as lines that
 * are never wider than the terminal (longer ones are cut, nothing wraps) and never more than its height.
 *
 * <pre>
 * rulemux  loop running  /home/me/team                                  14:02:31
 *
 * AGENT      STATUS   TASK        CONTEXT     SINCE  WHY
 * architect  WORKING  design-api  ███░░  62%  2m05s  a working marker
 * tester     IDLE     -           -           12s    an empty input box
 *
 * TASKS  done 3/7  pending 2  assigned 0  in progress 1  verifying 0  completed 3
 *        failed 0  blocked 1  cancelled 0
 *
 * TIME      KIND      AGENT      TASK        DETAIL
 * 14:02:29  DISPATCH  architect  design-api  sent design-api to architect (262 chars)
 * </pre>
 *
 * "done" counts the finished tasks (completed, failed or cancelled). The events fill the height that is left,
 * newest last. Colours (ANSI SGR) only when asked for.
 */
public final class TerminalDashboard {

    static final String BOLD = "1";
    static final String DIM = "2";
    static final String RED = "31";
    static final String GREEN = "32";
    static final String YELLOW = "33";
    static final String MAGENTA = "35";
    static final String CYAN = "36";

    private static final String GAP = "  ";
    private static final int BAR_CELLS = 5;
    /** Narrower than this, the header leaves out the clock time. */
    private static final int MIN_HEADER = 30;

    private final String place;
    private final boolean color;
    private final ZoneId zone;
    private final DateTimeFormatter clock;
    private final DateTimeFormatter dated;

    /**
     * @param place the config directory, as the header names it
     * @param color whether to colour the frame with ANSI SGR codes
     * @param zone  the time zone of the clock times
     */
    public TerminalDashboard(String place, boolean color, ZoneId zone) {
        this.place = place;
        this.color = color;
        this.zone = zone;
        this.clock = DateTimeFormatter.ofPattern("HH:mm:ss").withZone(zone);
        this.dated = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(zone);
    }

    /** The frame showing {@code view} at {@code now} (epoch ms) on a terminal of {@code width} x {@code height} cells. */
    public List<String> frame(TeamView view, int width, int height, long now) {
        List<Line> lines = new ArrayList<>();
        lines.add(header(view, width, now));
        lines.add(new Line());
        lines.addAll(agents(view, now));
        lines.add(new Line());
        lines.addAll(tasks(view, width));
        int room = height - lines.size() - 2; // a blank line and the events' header
        if (room > 0) {
            lines.add(new Line());
            List<Journal.Event> events = view.events().subList(Math.max(0, view.events().size() - room), view.events().size());
            lines.addAll(events(events, now));
        }
        return lines.stream().limit(Math.max(0, height)).map(l -> l.render(Math.max(0, width), color)).toList();
    }

    /** What the loop is doing and the config directory, cut if need be to leave the clock time at the right end. */
    private Line header(TeamView view, int width, long now) {
        Line left = new Line().add("rulemux", BOLD).add(GAP);
        long lastLook = view.agents().stream().mapToLong(TeamView.AgentView::updatedAt).max().orElse(0);
        if (view.live()) {
            left.add("loop running", GREEN);
        } else if (lastLook > 0) {
            left.add("no loop running — last recorded " + time(lastLook, now) + ", " + age(now - lastLook) + " ago", YELLOW);
        } else {
            left.add("no loop has run yet: start `rulemux run`", YELLOW);
        }
        left.add(GAP + place);
        String at = time(now, now);
        int room = width - GAP.length() - Cells.width(at);
        if (room < MIN_HEADER) {
            return left;
        }
        return left.cut(room).padTo(room + GAP.length()).add(at);
    }

    private List<Line> agents(TeamView view, long now) {
        if (view.agents().isEmpty()) {
            return List.of(new Line().add("AGENTS", BOLD).add(GAP + "none in agents.yaml, none seen by rulemux run"));
        }
        Table table = new Table("AGENT", "STATUS", "TASK", "CONTEXT", "SINCE", "WHY");
        for (TeamView.AgentView a : view.agents()) {
            if (!a.seen()) {
                table.row(cell(named(a)), cell("unknown", DIM), cell("-"), cell("-"), cell("never seen", DIM), cell(""));
            } else {
                table.row(cell(named(a)), cell(a.status(), statusColor(a.status())), cell(dash(a.task())),
                        cell(context(a.contextUsed())), cell(age(now - a.since())), cell(a.reason()));
            }
        }
        return table.lines();
    }

    private List<Line> tasks(TeamView view, int width) {
        Line first = new Line().add("TASKS", BOLD);
        if (view.tasks().isEmpty()) {
            return List.of(first.add(GAP + "none yet"));
        }
        String indent = " ".repeat(first.width() + GAP.length());
        first.add(GAP + "done " + view.finished() + "/" + view.tasks().size());
        List<Line> lines = new ArrayList<>(List.of(first));
        for (TaskState s : TaskState.values()) {
            int n = view.counts().getOrDefault(s, 0);
            String item = s.name().toLowerCase(Locale.ROOT).replace('_', ' ') + " " + n;
            Line last = lines.get(lines.size() - 1);
            if (last.width() + GAP.length() + Cells.width(item) > width && last.width() > indent.length()) {
                last = new Line().add(indent);
                lines.add(last);
            } else {
                last.add(GAP);
            }
            last.add(item, n == 0 ? DIM : countColor(s));
        }
        for (dev.rulemux.domain.TaskBranch b : view.branches().values()) {
            lines.add(new Line().add(indent).add(b.task() + " " + b.branch() + " -> " + b.base() + " ", DIM)
                    .add(b.merge().name().toLowerCase(Locale.ROOT), b.merge() == dev.rulemux.domain.MergeState.CONFLICT
                            ? countColor(TaskState.BLOCKED) : DIM)
                    .add(b.conflicts().isEmpty() ? "" : " " + String.join(", ", b.conflicts())));
        }
        return lines;
    }

    private List<Line> events(List<Journal.Event> events, long now) {
        if (events.isEmpty()) {
            return List.of(new Line().add("EVENTS", BOLD).add(GAP + "none yet"));
        }
        Table table = new Table("TIME", "KIND", "AGENT", "TASK", "DETAIL");
        for (Journal.Event e : events) {
            table.row(cell(time(e.at(), now), DIM), cell(e.kind().name(), kindColor(e.kind())), cell(dash(e.agent())),
                    cell(dash(e.task())), cell(e.detail()));
        }
        return table.lines();
    }

    // ------------------------------------------------------------------------------------------ formats

    /** {@code ███░░  62%}: a bar of five cells and the percentage; "-" when not shown. */
    static String context(Integer percent) {
        if (percent == null) {
            return "-";
        }
        int p = Math.max(0, Math.min(100, percent));
        int full = Math.round(p * BAR_CELLS / 100f);
        return "█".repeat(full) + "░".repeat(BAR_CELLS - full) + String.format(Locale.ROOT, " %3d%%", p);
    }

    /** 45s, 2m05s, 3h20m, 2d04h. */
    static String age(long ms) {
        long s = Math.max(0, ms) / 1000;
        if (s < 60) {
            return s + "s";
        }
        if (s < 3600) {
            return String.format(Locale.ROOT, "%dm%02ds", s / 60, s % 60);
        }
        if (s < 86_400) {
            return String.format(Locale.ROOT, "%dh%02dm", s / 3600, s % 3600 / 60);
        }
        return String.format(Locale.ROOT, "%dd%02dh", s / 86_400, s % 86_400 / 3600);
    }

    /** A clock time, with the date when it is not the day of {@code now}. */
    private String time(long epochMs, long now) {
        Instant at = Instant.ofEpochMilli(epochMs);
        boolean today = LocalDate.ofInstant(at, zone).equals(LocalDate.ofInstant(Instant.ofEpochMilli(now), zone));
        return (today ? clock : dated).format(at);
    }

    /** The agent's name, with {@code @host} when it runs on another machine. */
    private static String named(TeamView.AgentView a) {
        return a.host() == null ? a.name() : a.name() + "@" + a.host();
    }

    private static String dash(String value) {
        return value == null || value.isBlank() ? "-" : value;
    }

    static String statusColor(String status) {
        return switch (status) {
            case "WORKING" -> GREEN;
            case "IDLE", "STARTING" -> CYAN;
            case "AWAITING_SUBMIT", "AWAITING_APPROVAL" -> MAGENTA;
            case "RATE_LIMITED" -> YELLOW;
            case "STUCK", "EXITED" -> RED;
            default -> DIM;
        };
    }

    private static String countColor(TaskState state) {
        return switch (state) {
            case COMPLETED -> GREEN;
            case FAILED -> RED;
            case BLOCKED -> YELLOW;
            case IN_PROGRESS, ASSIGNED, VERIFYING -> CYAN;
            default -> null;
        };
    }

    private static String kindColor(Journal.Kind kind) {
        return switch (kind) {
            case ALERT -> RED;
            case WARNING -> YELLOW;
            default -> null;
        };
    }

    // ------------------------------------------------------------------------------------------ tables

    private record Cell(String text, String sgr) {
    }

    private static Cell cell(String text) {
        return cell(text, null);
    }

    private static Cell cell(String text, String sgr) {
        return new Cell(Cells.clean(text), sgr);
    }

    /** Columns as wide as their widest cell, two spaces apart; the last one is not padded. */
    private static final class Table {

        private final List<Cell[]> rows = new ArrayList<>();

        Table(String... header) {
            Cell[] row = new Cell[header.length];
            for (int i = 0; i < header.length; i++) {
                row[i] = cell(header[i], BOLD);
            }
            rows.add(row);
        }

        void row(Cell... cells) {
            rows.add(cells);
        }

        List<Line> lines() {
            int columns = rows.get(0).length;
            int[] widths = new int[columns];
            for (Cell[] row : rows) {
                for (int i = 0; i < columns; i++) {
                    widths[i] = Math.max(widths[i], Cells.width(row[i].text()));
                }
            }
            List<Line> lines = new ArrayList<>();
            for (Cell[] row : rows) {
                Line line = new Line();
                int at = 0;
                for (int i = 0; i < columns; i++) {
                    line.padTo(at).add(row[i].text(), row[i].sgr());
                    at += widths[i] + GAP.length();
                }
                lines.add(line);
            }
            return lines;
        }
    }
}
