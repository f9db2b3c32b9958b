package dev.rulemux.devtools;

import dev.rulemux.devtools.ScreenRecorder.Target;
import dev.rulemux.sim.RealClis;
import dev.rulemux.sim.RealClis.Cli;
import dev.rulemux.sim.RealClis.Options;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * What {@link ScreenRecorder} records: for each profile, the takes (one fresh program each) and the steps
 * run in each, some of which capture a fixture. Takes that can follow each other share a program
 * (idle → finished → working-second-turn); the others start fresh, so no earlier turn shows in them.
 * Prompts are fixed texts, so that a re-recording differs only where the CLI did.
 */
final class ScreenScenarios {

    static final Duration STARTUP = Duration.ofSeconds(60);
    static final Duration TURN = Duration.ofSeconds(60);
    /**
     * Claude Code's notice about tmux focus events ({@code tmux focus-events off · add 'set -g focus-events on'
     * …}) shows in the footer ~11 s after start, for ~8 s; the screens are recorded after it.
     */
    static final Duration NOTICE_SHOWS_WITHIN = Duration.ofSeconds(25);
    static final Duration NOTICE = Duration.ofSeconds(60);
    static final Duration STILL = Duration.ofSeconds(1);
    /** When a working screen is captured, counted from the mock's receipt of the turn. */
    static final Duration WORKING_AT = Duration.ofSeconds(4);
    /** When a streaming screen is captured: about 40% into a 20 s reply. */
    static final Duration STREAMING_AT = Duration.ofSeconds(8);

    static final String FIRST_PROMPT = "Explain the build [mock work=2s]";
    static final String FIRST_REPLY = "Done. You said: Explain the build";
    static final String WORKING_PROMPT = "Explain the build [mock work=30s]";
    static final String SECOND_PROMPT = "Now list the tests [mock work=30s]";
    static final int STREAM_LINES = 40;
    static final String STREAMING_PROMPT = "Explain the build step by step [mock work=20s pace=even lines=" + STREAM_LINES + "]";
    static final String SHORT_PROMPT = "fix the typo";
    static final String LONG_PROMPT = String.join(" ", Collections.nCopies(6,
            "please review the module and report every place where the retry logic could loop forever under load"));
    static final List<String> CHECKLIST = checklist();
    static final String APPROVAL_PROMPT = "Create the marker file [mock tool=shell]";
    static final String RATE_LIMIT_PROMPT = "Rate limited [mock status=429]";
    static final String USAGE_LIMIT_PROMPT = "Out of quota [mock limit=usage]";
    static final String QUEUED_FIRST_PROMPT = "Explain the build [mock work=20s]";
    static final String QUEUED_SECOND_PROMPT = "Then list the tests [mock work=20s]";

    /** Something a step does; a step that records a fixture returns the screen to keep, the others null. */
    interface Action {
        String run(ScreenTake take);
    }

    /** One step of a take; {@code fixture} names the scenario it records, if any. */
    record Step(Optional<String> fixture, Action action) {

        static Step setup(Action action) {
            return new Step(Optional.empty(), action);
        }

        static Step record(String fixture, Action action) {
            return new Step(Optional.of(fixture), action);
        }
    }

    /** One take: a fresh program ({@code options} for its sandbox) and the steps run in it, in order. */
    record Plan(Target target, String name, Options options, List<Step> steps) {

        Plan {
            steps = List.copyOf(steps);
        }

        List<String> fixtures() {
            return steps.stream().flatMap(s -> s.fixture().stream()).toList();
        }
    }

    /**
     * The strings a CLI shows that the recorder waits for. Taken from docs/real-clis.md; when a new version
     * changes one, the wait times out and the recorder says which.
     */
    record Looks(String ready, String header, String working, String trust, String approval, String rateLimited,
            String usageLimit, String exitCommand, boolean focusNotice) {
    }

    private ScreenScenarios() {
    }

    static Looks looks(Cli cli) {
        return switch (cli) {
            // A retry reads "API error · Retrying in 6s · attempt 5/10" (2.1.197), "429 … · retrying in 6s · attempt 5/10"
            // (2.1.332); the usage limit "You've hit your session limit" with a menu (2.1.197), "… 5-hour limit" (2.1.332).
            case CLAUDE -> new Looks("? for shortcuts", "Claude Code v", "esc to interrupt", "trust this folder", "Do you want to proceed?",
                    " · attempt ", "You've hit your ", "/exit", true);
            case CODEX -> new Looks("Ask Codex to do anything", "OpenAI Codex", "esc to interrupt", "Trust this folder?",
                    "Would you like to run the following command?", "exceeded retry limit", "hit your usage limit",
                    "/exit", false);
            case GEMINI -> new Looks("Type your message", "Gemini CLI v", "esc to cancel", "Do you trust the files in this folder?",
                    "Allow execution of", "", "Usage limit reached", "/quit", false);
            case QWEN -> new Looks("Type your message", "Qwen Code (v", "esc to cancel", "Do you trust",
                    "Allow execution", "", "", "/quit", false);
            case OPENCODE -> new Looks("ctrl+p commands", "Build · ", "esc interrupt", "", "Permission required", "", "",
                    "/exit", false);
        };
    }

    /** The takes for {@code target}, the longest first (they run in parallel). */
    static List<Plan> plans(Target target) {
        if (target == Target.SHELL) {
            return List.of(shellPlan());
        }
        Cli cli = target.cli().orElseThrow();
        Looks looks = looks(cli);
        Options defaults = Options.defaults();
        List<Plan> plans = new ArrayList<>();
        if (cli == Cli.QWEN || cli == Cli.OPENCODE) {
            return newerClisPlans(target, looks, defaults);
        }
        plans.add(mainPlan(target, looks, defaults));
        plans.add(new Plan(target, "streaming", defaults, List.of(
                Step.setup(t -> settle(t, looks)),
                Step.record("streaming", t -> streaming(t, looks)))));
        plans.add(new Plan(target, "context", defaults, contextSteps(cli, looks)));
        if (cli != Cli.GEMINI) {
            plans.add(new Plan(target, "rate-limited", defaults, List.of(
                    Step.setup(t -> settle(t, looks)),
                    Step.record("rate-limited", t -> {
                        t.deliver(RATE_LIMIT_PROMPT);
                        t.awaitTurn(TURN);
                        if (cli == Cli.CLAUDE) {
                            // The countdown changes every second: capture as soon as the first retry shows.
                            return t.waitForText(looks.rateLimited(), TURN);
                        }
                        t.waitForText(looks.rateLimited(), TURN);
                        return t.waitUntilStill(STILL, TURN);
                    }))));
        }
        plans.add(new Plan(target, "queued-while-working", defaults, List.of(
                Step.setup(t -> settle(t, looks)),
                Step.record("queued-while-working", t -> {
                    t.deliver(QUEUED_FIRST_PROMPT);
                    t.awaitTurn(TURN);
                    t.waitForText(looks.working(), TURN);
                    t.deliver(QUEUED_SECOND_PROMPT);
                    t.waitForText(QUEUED_SECOND_PROMPT, TURN);
                    t.waitUntil(Instant.now(), STILL, "the second prompt showed");
                    String screen = stillWorking(t, looks);
                    t.note(t.mockGotATurn()
                            ? "The CLI sent the second prompt to the model at once: the mock received it as a new turn "
                                    + "while the first was still running."
                            : "The CLI held the second prompt back: the mock had not received it when the screen was "
                                    + "captured.");
                    return screen;
                }))));
        plans.add(new Plan(target, "working", defaults, List.of(
                Step.setup(t -> settle(t, looks)),
                Step.record("working", t -> {
                    t.deliver(WORKING_PROMPT);
                    return workingAt(t, looks, WORKING_AT);
                }))));
        plans.add(new Plan(target, "approval", defaults, List.of(
                Step.setup(t -> settle(t, looks)),
                Step.record("approval", t -> {
                    t.deliver(APPROVAL_PROMPT);
                    t.awaitTurn(TURN);
                    t.waitForText(looks.approval(), TURN);
                    return t.waitUntilStill(STILL, TURN);
                }))));
        plans.add(new Plan(target, "usage-limit", defaults.withClaudeSubscription(cli == Cli.CLAUDE), List.of(
                Step.setup(t -> settle(t, looks)),
                Step.record("usage-limit", t -> {
                    t.deliver(USAGE_LIMIT_PROMPT);
                    t.awaitTurn(TURN);
                    t.waitForText(looks.usageLimit(), TURN);
                    return t.waitUntilStill(STILL, TURN);
                }))));
        plans.add(new Plan(target, "unsubmitted-long-prompt", defaults, List.of(
                Step.setup(t -> settle(t, looks)),
                Step.record("unsubmitted-long-prompt", t -> naive(t, LONG_PROMPT)))));
        plans.add(new Plan(target, "unsubmitted-short-prompt", defaults, List.of(
                Step.setup(t -> settle(t, looks)),
                Step.record("unsubmitted-short-prompt", t -> naive(t, SHORT_PROMPT)))));
        plans.add(new Plan(target, "unsubmitted-paste", defaults, List.of(
                Step.setup(t -> settle(t, looks)),
                Step.record("unsubmitted-paste", t -> {
                    t.pasteWithoutEnter(String.join("\n", CHECKLIST), "the " + CHECKLIST.size()
                            + "-line checklist that starts `" + CHECKLIST.get(0) + "` and ends `"
                            + CHECKLIST.get(CHECKLIST.size() - 1) + "`");
                    return t.waitUntilStill(STILL, TURN);
                }))));
        plans.add(new Plan(target, "exited", defaults, List.of(
                Step.setup(t -> settle(t, looks)),
                Step.record("exited", t -> {
                    t.deliver(looks.exitCommand());
                    t.waitFor("the shell prompt was back with bash in the foreground",
                            s -> ScreenTake.lastLine(s).equals(ScreenTake.PS1.strip())
                                    && t.foregroundCommand().equals("bash"), STARTUP);
                    return t.waitUntilStill(STILL, STARTUP);
                }))));
        plans.add(new Plan(target, "trust-dialog", defaults.withTrusted(false), List.of(
                Step.record("trust-dialog", t -> {
                    t.waitForText(looks.trust(), STARTUP);
                    return t.waitUntilStill(STILL, STARTUP);
                }))));
        return plans;
    }

    /** Every CLI's first take: idle, a finished turn, then working on a second one. */
    private static Plan mainPlan(Target target, Looks looks, Options defaults) {
        return new Plan(target, "main", defaults, List.of(
                Step.record("idle", t -> settle(t, looks)),
                Step.record("finished", t -> {
                    t.deliver(FIRST_PROMPT);
                    return finish(t, looks, FIRST_REPLY);
                }),
                Step.record("working-second-turn", t -> {
                    t.deliver(SECOND_PROMPT);
                    return workingAt(t, looks, WORKING_AT);
                })));
    }

    /**
     * The takes of the CLIs added with issue 12 (Qwen Code, opencode): the screens their profiles' status rules need
     * (idle, a finished turn, working, a second turn, an unsubmitted paste, exited); the others are not recorded yet.
     */
    private static List<Plan> newerClisPlans(Target target, Looks looks, Options defaults) {
        List<Plan> plans = new ArrayList<>();
        plans.add(mainPlan(target, looks, defaults));
        plans.add(new Plan(target, "working", defaults, List.of(
                Step.setup(t -> settle(t, looks)),
                Step.record("working", t -> {
                    t.deliver(WORKING_PROMPT);
                    return workingAt(t, looks, WORKING_AT);
                }))));
        plans.add(new Plan(target, "unsubmitted-paste", defaults, List.of(
                Step.setup(t -> settle(t, looks)),
                Step.record("unsubmitted-paste", t -> {
                    t.pasteWithoutEnter(String.join("\n", CHECKLIST), "the " + CHECKLIST.size()
                            + "-line checklist that starts `" + CHECKLIST.get(0) + "` and ends `"
                            + CHECKLIST.get(CHECKLIST.size() - 1) + "`");
                    return t.waitUntilStill(STILL, TURN);
                }))));
        return plans;
    }

    /** Scenarios a profile does not record, and why: written into its README. */
    static Map<String, String> notRecorded(Target target) {
        Map<String, String> why = new LinkedHashMap<>();
        switch (target) {
            case CLAUDE_CODE -> {
                why.put("context-90", "Claude Code shows no context meter below ~98% used (tokens=882000 shows none).");
                why.put("context-compressed", "Gemini CLI only.");
            }
            case CODEX -> why.put("context-compressed", "Gemini CLI only.");
            case GEMINI -> {
                why.put("context-90", "Gemini CLI compresses the context at 50% (the default threshold) before the "
                        + "footer can show more: see context-compressed.");
                why.put("context-98", "as context-90.");
                why.put("rate-limited", "Gemini CLI retries a 429 silently for minutes: its screen is the "
                        + "working spinner, nothing to tell it apart (docs/real-clis.md).");
            }
            case QWEN_CODE, OPENCODE -> {
                for (String scenario : List.of("approval", "context-90", "context-98", "context-compressed", "exited",
                        "queued-while-working", "rate-limited", "streaming", "trust-dialog", "unsubmitted-long-prompt",
                        "unsubmitted-short-prompt", "usage-limit")) {
                    why.put(scenario, "not recorded yet for the CLIs added with issue 12: their profiles classify the "
                            + "statuses the recorded screens show.");
                }
            }
            case SHELL -> {
            }
        }
        return why;
    }

    /** Every scenario name of {@code target}, in plan order. */
    static List<String> scenarioNames(Target target) {
        return plans(target).stream().flatMap(p -> p.fixtures().stream()).distinct().toList();
    }

    private static List<Step> contextSteps(Cli cli, Looks looks) {
        List<Step> steps = new ArrayList<>();
        steps.add(Step.setup(t -> settle(t, looks)));
        switch (cli) {
            case CLAUDE -> steps.add(Step.record("context-98", t -> {
                t.deliver("Read the whole repository [mock tokens=960000]");
                t.awaitTurn(TURN);
                // 2.1.197's footer says "98% context used"; 2.1.332 says "1% until auto-compact" above the input box.
                t.waitFor("the context meter (`98% context used` or `% until auto-compact`) showed",
                        s -> s.contains("98% context used") || s.contains("% until auto-compact"), TURN);
                return finish(t, looks, "Done. You said: Read the whole repository");
            }));
            case CODEX -> {
                steps.add(Step.record("context-90", t -> {
                    t.deliver("Read the whole repository [mock tokens=233700]");
                    t.awaitTurn(TURN);
                    t.waitForText("Context 10% left", TURN);
                    return finish(t, looks, "Done. You said: Read the whole repository");
                }));
                steps.add(Step.record("context-98", t -> {
                    t.deliver("Read the tests too [mock tokens=253400]");
                    t.awaitTurn(TURN);
                    t.waitForText("Context 2% left", TURN);
                    return finish(t, looks, "Done. You said: Read the tests too");
                }));
            }
            case GEMINI -> steps.add(Step.record("context-compressed", t -> {
                t.deliver("Read the whole repository [mock tokens=943800]");
                t.awaitTurn(TURN);
                finish(t, looks, "Done. You said: Read the whole repository");
                t.deliver("Read the tests too");
                t.awaitTurn(TURN);
                t.waitForText("Context compressed", TURN);
                return finish(t, looks, "Done. You said: Read the tests too");
            }));
        }
        return steps;
    }

    private static Plan shellPlan() {
        return new Plan(Target.SHELL, "shell", Options.defaults(), List.of(
                Step.record("idle", t -> t.waitUntilStill(STILL, STARTUP)),
                Step.record("typed-not-run", t -> {
                    t.type("make test");
                    t.waitForText("make test", STARTUP);
                    return t.waitUntilStill(Duration.ofMillis(500), STARTUP);
                }),
                Step.record("running", t -> {
                    t.press("C-u");
                    t.type("sleep 30");
                    t.press("Enter");
                    t.waitFor("`sleep` was the pane's foreground command", s -> t.foregroundCommand().equals("sleep"), STARTUP);
                    return t.waitUntilStill(Duration.ofMillis(500), STARTUP);
                })));
    }

    /**
     * Waits until a freshly started CLI is ready and its screen has settled; returns that screen. Gemini CLI
     * shows its input box before its header (logo, tips), more than a second later on a busy machine.
     */
    static String settle(ScreenTake t, Looks looks) {
        t.waitForText(looks.ready(), STARTUP);
        t.waitForText(looks.header(), STARTUP);
        if (looks.focusNotice()) {
            t.waitOutNotice("focus-events", "the tmux focus-events notice", NOTICE_SHOWS_WITHIN, NOTICE);
        }
        return t.waitUntilStill(STILL, STARTUP);
    }

    /** Waits for the turn, then for its reply with the working marker gone, then for a still screen. */
    private static String finish(ScreenTake t, Looks looks, String reply) {
        if (!t.mockGotATurn()) {
            t.awaitTurn(TURN);
        }
        t.waitFor("the reply `" + reply + "` showed and `" + looks.working() + "` was gone",
                s -> s.contains(reply) && !s.contains(looks.working()), TURN);
        return t.waitUntilStill(Duration.ofMillis(700), TURN);
    }

    /** Captures a working turn {@code at} after the mock received it. */
    private static String workingAt(ScreenTake t, Looks looks, Duration at) {
        Instant turn = t.awaitTurn(TURN);
        t.waitForText(looks.working(), TURN);
        t.waitUntil(turn, at, "the mock received the turn");
        return stillWorking(t, looks);
    }

    private static String stillWorking(ScreenTake t, Looks looks) {
        String screen = t.capture();
        if (!screen.contains(looks.working())) {
            throw new ScreenTake.TimedOut("the turn no longer showed `" + looks.working() + "` when captured", screen);
        }
        return screen;
    }

    /** Captures a reply while it streams: about 40% of its lines shown. */
    private static String streaming(ScreenTake t, Looks looks) {
        t.deliver(STREAMING_PROMPT);
        Instant turn = t.awaitTurn(TURN);
        t.waitForText("Line 1 of " + STREAM_LINES, TURN);
        t.waitUntil(turn, STREAMING_AT, "the mock received the turn");
        String screen = t.capture();
        String lastLine = "Line " + STREAM_LINES + " of " + STREAM_LINES;
        if (screen.contains(lastLine)) {
            throw new ScreenTake.TimedOut("the reply had streamed to its end (`" + lastLine + "`) when captured", screen);
        }
        return screen;
    }

    /** Sends {@code text} and Enter in one send-keys, then records whether the CLI submitted it. */
    private static String naive(ScreenTake t, String text) {
        t.sendNaively(text);
        String screen = t.waitUntilStill(Duration.ofMillis(1500), TURN);
        if (t.mockGotATurn()) {
            t.note("The CLI submitted the text: the mock received it as a turn, so this screen shows that turn, "
                    + "not a draft left in the input box.");
        } else {
            t.note("The CLI did not submit the text: the mock received no turn; the text is still in the input box.");
        }
        return screen;
    }

    private static List<String> checklist() {
        List<String> lines = new ArrayList<>();
        lines.add("Please work through this checklist, one item at a time:");
        lines.addAll(IntStream.rangeClosed(1, 22)
                .mapToObj(i -> i + ". check module " + i + " for retry loops that never give up under load")
                .collect(Collectors.toList()));
        lines.add("Report what you found for each item.");
        return List.copyOf(lines);
    }
}
