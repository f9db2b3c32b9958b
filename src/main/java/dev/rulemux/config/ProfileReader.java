package dev.rulemux.config;

import dev.rulemux.domain.Durations;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/** Reads and validates a {@code profiles/<name>.yaml}. */
public final class ProfileReader {

    static final List<String> SHELLS = List.of("bash", "zsh", "sh", "fish", "dash", "ksh", "tcsh", "csh");

    private ProfileReader() {
    }

    /** Reads {@code file} as the profile {@code name}; returns null when it has problems (recorded in {@code problems}). */
    public static Profile read(String name, Path file, Problems problems) {
        int before = problems.list().size();
        YamlNode root = YamlReader.read(file, problems);
        if (root == null) {
            return null;
        }
        Optional<Fields> maybe = Fields.of(root, "", problems);
        if (maybe.isEmpty()) {
            return null;
        }
        Fields f = maybe.get();
        String description = f.text("description", name);
        int scanLines = f.integer("scan_lines", 12, 1, 500);
        List<String> processes = f.texts("processes");
        boolean childMeansWorking = f.flag("child_means_working", false);
        Profile.Input input = f.nested("input", ProfileReader::input).orElse(null);
        if (!f.has("input")) {
            problems.add(file, 1, "input", "is missing: a profile must say what its input line looks like");
        }
        List<Pattern> working = f.regexes("working");
        List<Pattern> finished = f.regexes("finished");
        Optional<Profile.DialogSpec> approval = f.nested("approval", d -> dialog(d, "approval"));
        List<Profile.DialogSpec> startup = f.list("startup_dialogs", d -> dialog(d, null));
        List<Profile.DialogSpec> limitDialogs = f.list("limit_dialogs", d -> dialog(d, null));
        Optional<Profile.ContextSpec> context = f.nested("context", ProfileReader::context);
        Profile.RateLimitSpec rateLimit = f.nested("rate_limit", r -> new Profile.RateLimitSpec(
                r.regexes("markers"), r.regex("reset").map(p -> requireGroup(r, "reset", p, "reset")).orElse(null)))
                .orElse(new Profile.RateLimitSpec(List.of(), null));
        Profile.ExitSpec exited = f.nested("exited", e -> new Profile.ExitSpec(e.regexes("markers"), e.regexes("last_line"),
                e.has("commands") ? e.texts("commands") : SHELLS)).orElse(new Profile.ExitSpec(List.of(), List.of(), SHELLS));
        Profile.DeliverySpec delivery = f.nested("delivery", ProfileReader::delivery)
                .orElse(new Profile.DeliverySpec(Duration.ofMillis(250), List.of("Enter"), 16_000));
        Profile.KeysSpec stop = f.nested("stop", ProfileReader::keys).orElse(new Profile.KeysSpec(null, List.of("C-c", "C-c")));
        Profile.KeysSpec clear = f.nested("clear", ProfileReader::keys).orElse(new Profile.KeysSpec(null, List.of()));
        Profile.KeysSpec interrupt = f.nested("interrupt", ProfileReader::keys).orElse(new Profile.KeysSpec(null, List.of("Escape")));
        java.util.Map<String, String> policy = f.textMap("policy");
        Profile.Hooks hooks = f.text("hooks").map(h -> Profile.Hooks.of(h).orElseGet(() -> {
            f.problem("hooks", "must be one of claude-code, codex-notify, gemini, none, not \"" + h + "\"");
            return Profile.Hooks.NONE;
        })).orElse(Profile.Hooks.NONE);
        List<String> resume = f.texts("resume");
        List<Pattern> turns = f.regexes("turns");
        for (String arg : resume) {
            if (arg.isBlank() || arg.length() > 200 || arg.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
                f.problem("resume", "must be a list of command-line arguments (no empty ones, no control characters), not \""
                        + arg.replaceAll("\\p{Cntrl}", "?") + "\"");
                break;
            }
        }
        f.done();
        if (problems.list().size() > before || input == null) {
            return null;
        }
        return new Profile(name, file, description, scanLines, processes, childMeansWorking, input, working, finished, approval,
                startup, limitDialogs, context, rateLimit, exited, delivery, stop, clear, interrupt, policy, hooks, resume, turns);
    }

    private static Profile.Input input(Fields f) {
        Pattern line = f.regex("line").map(p -> requireGroup(f, "line", p, "draft")).orElse(null);
        if (!f.has("line")) {
            f.problems().add(f.node().file(), f.line(), f.field("line"), "is missing (a regex with a (?<draft>…) group)");
        }
        List<Pattern> placeholders = f.regexes("placeholders");
        Pattern paste = f.regex("paste").orElse(null);
        int within = f.integer("within", Integer.MAX_VALUE, 1, 500);
        boolean skipEmpty = f.flag("skip_empty", false);
        return line == null ? null : new Profile.Input(line, placeholders, paste, within, skipEmpty);
    }

    private static Profile.DialogSpec dialog(Fields f, String defaultName) {
        String name = defaultName != null ? f.text("name", defaultName) : f.requiredText("name");
        List<Pattern> markers = f.regexes("markers");
        if (markers.isEmpty() && !f.has("markers")) {
            f.problems().add(f.node().file(), f.line(), f.field("markers"), "is missing (the regexes that identify the dialog)");
        }
        List<String> accept = f.texts("accept");
        List<String> decline = f.texts("decline");
        if (accept.isEmpty()) {
            f.problems().add(f.node().file(), f.line(), f.field("accept"), "is missing (the tmux keys that accept, e.g. [Enter])");
        }
        return new Profile.DialogSpec(name, markers, accept, decline);
    }

    private static Profile.ContextSpec context(Fields f) {
        Pattern marker = f.regex("marker").map(p -> requireGroup(f, "marker", p, "percent")).orElse(null);
        if (!f.has("marker")) {
            f.problems().add(f.node().file(), f.line(), f.field("marker"), "is missing (a regex with a (?<percent>…) group)");
        }
        String measures = f.text("measures", "used").trim();
        if (!measures.equals("used") && !measures.equals("left")) {
            f.problem("measures", "must be \"used\" or \"left\", not \"" + measures + "\"");
        }
        return marker == null ? null : new Profile.ContextSpec(marker, measures.equals("left"));
    }

    private static Profile.KeysSpec keys(Fields f) {
        return new Profile.KeysSpec(f.text("command").orElse(null), f.texts("keys"), f.flag("restart", false));
    }

    private static Pattern requireGroup(Fields f, String key, Pattern p, String group) {
        if (!p.pattern().contains("(?<" + group + ">")) {
            f.problem(key, "must have a named group (?<" + group + ">…) in \"" + p.pattern() + "\"");
        }
        return p;
    }

    private static Profile.DeliverySpec delivery(Fields d) {
        Duration delay = d.duration("submit_delay", Duration.ofMillis(250));
        Duration afterDraft = d.has("submit_after_draft") ? d.duration("submit_after_draft", null) : null;
        if (afterDraft != null && afterDraft.compareTo(delay) > 0) {
            d.problem("submit_after_draft", "must not be longer than submit_delay (" + Durations.format(delay)
                    + "), the longest wait between a paste and its submit keys");
            afterDraft = null;
        }
        return new Profile.DeliverySpec(delay, d.has("submit_keys") ? d.texts("submit_keys") : List.of("Enter"),
                d.integer("max_inline_bytes", 16_000, 1, 10_000_000), afterDraft,
                d.integer("max_inline_lines", Integer.MAX_VALUE, 1, Integer.MAX_VALUE));
    }

}
