package dev.rulemux.screen;

import dev.rulemux.config.Profile;
import dev.rulemux.domain.ContextMeter;
import dev.rulemux.domain.Dialog;
import dev.rulemux.domain.InputBox;
import dev.rulemux.domain.Marker;
import dev.rulemux.domain.MarkerKind;
import dev.rulemux.domain.PaneSnapshot;
import dev.rulemux.domain.TaskOnScreen;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a pane capture with a CLI profile. Only the bottom {@code scan_lines} non-blank lines are read,
 * so that stale text higher up (an old spinner line, an old error) does not count. For each marker, the
 * lowest matching line is reported, with its distance from the bottom so the policy can tell which of two
 * markers is newer.
 */
public final class ScreenReader {

    /** The header prompts/task.md puts on a task's prompt; seen anywhere on screen, the prompt reached the agent. */
    static final Pattern TASK_HEADER = Pattern.compile("\\[rulemux task ([A-Za-z0-9][A-Za-z0-9_-]*)]");

    /** Characters CLIs use as spacing that Java's {@code strip()} does not treat as white space. */
    private static final String EXTRA_SPACE = "\u00a0\u2007\u202f";

    private ScreenReader() {
    }

    public static Observation read(Profile profile, PaneSnapshot snapshot) {
        String agent = snapshot.agent();
        List<Line> scan = bottomLines(snapshot.text(), profile.scanLines());
        List<Marker> markers = new ArrayList<>();

        Optional<InputBox> input = readInput(agent, profile.input(), scan, markers);
        find(agent, MarkerKind.WORKING, profile.working(), scan, markers);
        find(agent, MarkerKind.FINISHED, profile.finished(), scan, markers);
        find(agent, MarkerKind.RATE_LIMIT, profile.rateLimit().markers(), scan, markers);
        addResetTime(profile.rateLimit().reset(), scan, markers);
        find(agent, MarkerKind.EXITED, profile.exited().markers(), scan, markers);
        find(agent, MarkerKind.EXITED, profile.exited().lastLine(), scan.isEmpty() ? scan : scan.subList(0, 1), markers);
        String command = snapshot.currentCommand();
        if (command != null && profile.exited().commands().contains(command)) {
            markers.add(new Marker(agent, MarkerKind.EXITED, "pane command in exited.commands", command, 0, command));
        }
        if (command != null && profile.childMeansWorking() && !profile.processes().contains(command)) {
            markers.add(new Marker(agent, MarkerKind.WORKING, "pane runs a command not in processes", command, 0, command));
        }

        List<Dialog> dialogs = new ArrayList<>();
        profile.approval().ifPresent(spec -> dialog(agent, spec, false, MarkerKind.APPROVAL, scan, markers, dialogs));
        for (Profile.DialogSpec spec : profile.startupDialogs()) {
            dialog(agent, spec, true, MarkerKind.STARTUP_DIALOG, scan, markers, dialogs);
        }
        for (Profile.DialogSpec spec : profile.limitDialogs()) {
            for (Pattern p : spec.markers()) {
                Optional<Line> hit = scan.stream().filter(l -> p.matcher(l.text()).find()).findFirst();
                if (hit.isPresent()) {
                    markers.add(new Marker(agent, MarkerKind.RATE_LIMIT, p.pattern(), hit.get().text(), hit.get().fromBottom(), null));
                    dialogs.add(new Dialog(agent, spec.name(), false, true, spec.accept(), spec.decline(), strip(hit.get().text())));
                    break;
                }
            }
        }

        Optional<ContextMeter> context = profile.context().flatMap(spec -> readContext(agent, spec, scan, markers));
        List<TaskOnScreen> shown = new ArrayList<>();
        Matcher header = TASK_HEADER.matcher(snapshot.text());
        while (header.find()) {
            TaskOnScreen t = new TaskOnScreen(agent, header.group(1));
            if (!shown.contains(t)) {
                shown.add(t);
            }
        }
        return new Observation(agent, markers, input, context, dialogs, shown, turns(profile, snapshot.text(), input));
    }

    /**
     * The lines of the transcript the profile's {@code turns:} markers find, top to bottom: over the whole screen (a
     * transcript is higher up than {@code scan_lines} reaches), but only above the input box (a draft is no turn).
     */
    static List<String> turns(Profile profile, String screen, Optional<InputBox> input) {
        if (profile.turns().isEmpty()) {
            return List.of();
        }
        int above = input.map(InputBox::fromBottom).orElse(-1);
        List<Line> all = bottomLines(screen, Integer.MAX_VALUE);
        List<String> out = new ArrayList<>();
        for (int i = all.size() - 1; i >= 0; i--) {
            Line line = all.get(i);
            if (line.fromBottom() > above && profile.turns().stream().anyMatch(p -> p.matcher(line.text()).find())) {
                out.add(strip(line.text()));
            }
        }
        return out;
    }

    /** A non-blank screen line and its distance from the bottom (0 = the last non-blank line). */
    record Line(String text, int fromBottom) {
    }

    static List<Line> bottomLines(String screen, int count) {
        String[] raw = screen.split("\n", -1);
        List<Line> out = new ArrayList<>();
        for (int i = raw.length - 1; i >= 0 && out.size() < count; i--) {
            String line = stripEnd(raw[i]);
            if (!strip(line).isEmpty()) {
                out.add(new Line(line, out.size()));
            }
        }
        return out;
    }

    private static Optional<InputBox> readInput(String agent, Profile.Input spec, List<Line> scan, List<Marker> markers) {
        Line emptyLine = null;
        for (Line line : scan) {
            if (line.fromBottom() >= spec.within()) {
                break;
            }
            Matcher m = spec.line().matcher(line.text());
            if (!m.find()) {
                continue;
            }
            String draft = draftOf(spec, m);
            if (draft.isEmpty() && spec.skipEmpty()) {
                if (emptyLine == null) {
                    emptyLine = line;
                }
                continue;
            }
            return Optional.of(inputBox(agent, spec, line, draft, markers));
        }
        if (emptyLine != null) {
            return Optional.of(inputBox(agent, spec, emptyLine, "", markers));
        }
        return Optional.empty();
    }

    private static String draftOf(Profile.Input spec, Matcher m) {
        String draft = strip(group(m, "draft"));
        for (Pattern placeholder : spec.placeholders()) {
            if (placeholder.matcher(draft).find()) {
                return "";
            }
        }
        return draft;
    }

    private static InputBox inputBox(String agent, Profile.Input spec, Line line, String draft, List<Marker> markers) {
        markers.add(new Marker(agent, MarkerKind.INPUT, spec.line().pattern(), line.text(), line.fromBottom(),
                draft.isEmpty() ? null : draft));
        if (spec.paste() != null && !draft.isEmpty()) {
            Matcher paste = spec.paste().matcher(draft);
            if (paste.find()) {
                markers.add(new Marker(agent, MarkerKind.PASTE, spec.paste().pattern(), line.text(),
                        line.fromBottom(), paste.group()));
            }
        }
        return new InputBox(agent, draft, line.fromBottom());
    }

    private static void find(String agent, MarkerKind kind, List<Pattern> patterns, List<Line> scan, List<Marker> markers) {
        for (Pattern p : patterns) {
            for (Line line : scan) {
                Matcher m = p.matcher(line.text());
                if (m.find()) {
                    markers.add(new Marker(agent, kind, p.pattern(), line.text(), line.fromBottom(), null));
                    break;
                }
            }
        }
    }

    private static void addResetTime(Pattern reset, List<Line> scan, List<Marker> markers) {
        if (reset == null) {
            return;
        }
        for (Line line : scan) {
            Matcher m = reset.matcher(line.text());
            if (m.find()) {
                String when = strip(group(m, "reset"));
                for (int i = 0; i < markers.size(); i++) {
                    Marker mk = markers.get(i);
                    if (mk.kind() == MarkerKind.RATE_LIMIT && mk.value() == null) {
                        markers.set(i, new Marker(mk.agent(), mk.kind(), mk.pattern(), mk.line(), mk.fromBottom(), when));
                    }
                }
                return;
            }
        }
    }

    private static void dialog(String agent, Profile.DialogSpec spec, boolean startup, MarkerKind kind, List<Line> scan,
                               List<Marker> markers, List<Dialog> dialogs) {
        for (Pattern p : spec.markers()) {
            for (Line line : scan) {
                if (p.matcher(line.text()).find()) {
                    markers.add(new Marker(agent, kind, p.pattern(), line.text(), line.fromBottom(), spec.name()));
                    dialogs.add(new Dialog(agent, spec.name(), startup, spec.accept(), spec.decline(), strip(line.text())));
                    return;
                }
            }
        }
    }

    private static Optional<ContextMeter> readContext(String agent, Profile.ContextSpec spec, List<Line> scan,
                                                      List<Marker> markers) {
        for (Line line : scan) {
            Matcher m = spec.marker().matcher(line.text());
            if (!m.find()) {
                continue;
            }
            // A (?<left>…) group, matched, is a percentage left whatever the spec measures: one marker can read
            // two wordings ("98% context used" or "1% until auto-compact").
            String left = group(m, "left").replaceAll("[^0-9]", "");
            String digits = left.isEmpty() ? group(m, "percent").replaceAll("[^0-9]", "") : left;
            if (digits.isEmpty()) {
                continue;
            }
            int value = Math.min(100, Integer.parseInt(digits.length() > 3 ? "100" : digits));
            int used = !left.isEmpty() || spec.measuresLeft() ? 100 - value : value;
            markers.add(new Marker(agent, MarkerKind.CONTEXT, spec.marker().pattern(), line.text(), line.fromBottom(),
                    Integer.toString(used)));
            return Optional.of(new ContextMeter(agent, used, strip(line.text())));
        }
        return Optional.empty();
    }

    private static String group(Matcher m, String name) {
        try {
            String g = m.group(name);
            return g == null ? "" : g;
        } catch (IllegalArgumentException e) {
            return "";
        }
    }

    static String strip(String s) {
        int start = 0;
        int end = s.length();
        while (start < end && isSpace(s.charAt(start))) {
            start++;
        }
        while (end > start && isSpace(s.charAt(end - 1))) {
            end--;
        }
        return s.substring(start, end);
    }

    private static String stripEnd(String s) {
        int end = s.length();
        while (end > 0 && isSpace(s.charAt(end - 1))) {
            end--;
        }
        return s.substring(0, end);
    }

    private static boolean isSpace(char c) {
        return Character.isWhitespace(c) || EXTRA_SPACE.indexOf(c) >= 0;
    }
}
