package dev.rulemux;

import dev.rulemux.config.Profile;
import dev.rulemux.domain.PaneSnapshot;
import dev.rulemux.domain.Status;
import dev.rulemux.rules.PolicySpec;
import dev.rulemux.screen.ScreenReader;
import dev.rulemux.tmux.Tmux;
import java.time.Duration;
import java.util.Map;
import java.util.Set;

/**
 * Test helper: a live pane read the way the run loop reads it. Its screen is classified by the shipped rules with
 * the agent's profile (its idle, working and dialog markers, how long the screen has been still), as
 * {@code RecordedScreensTest} classifies recorded screens; the input box's draft is read as the loop reads it.
 * Tests wait on these, never on a CLI's start-up or paste taking some time: under load it takes longer.
 */
public final class LiveScreen {

    /** The agent of the policy specs' team ({@link PolicySpec}) that reads each profile's screens. */
    private static final Map<String, String> SPEC_AGENT = Map.of("claude-code", "claude", "codex", "codex",
            "gemini", "gemini", "qwen-code", "qwen", "opencode", "opencode", "sim-agent", "sim", "shell", "shell");

    private static final long PAUSE_MS = 100;

    private LiveScreen() {
    }

    /** The status the shipped rules give {@code screen} on a pane of {@code profile}, still for {@code unchangedMs}. */
    public static Status status(String profile, String screen, long unchangedMs) {
        String agent = agent(profile);
        return PolicySpec.spec().text(agent, screen, unchangedMs).decide().status(agent);
    }

    /** The text in the input box of {@code screen} as the profile reads it; empty when the box is empty or not shown. */
    public static String draft(String profile, String screen) {
        String agent = agent(profile);
        Profile p = PolicySpec.config().profiles().get(profile);
        return ScreenReader.read(p, PaneSnapshot.recorded(agent, screen, 0)).input().map(i -> i.draft()).orElse("");
    }

    /**
     * Watches {@code pane} until the rules classify its screen as one of {@code wanted} (how long it has been still
     * counted as the loop counts it, from when the test first saw it); returns that screen. Fails after
     * {@code timeout} with the last status and screen.
     */
    public static String awaitStatus(Tmux tmux, String pane, String profile, Duration timeout, Status... wanted) {
        Set<Status> want = Set.of(wanted);
        long end = System.nanoTime() + timeout.toNanos();
        String screen = tmux.capture(pane);
        long stillSince = System.nanoTime();
        while (true) {
            long stillMs = (System.nanoTime() - stillSince) / 1_000_000;
            Status status = status(profile, screen, stillMs);
            if (want.contains(status)) {
                return screen;
            }
            if (System.nanoTime() - end > 0) {
                throw new AssertionError("waited " + timeout.toSeconds() + " s for " + pane + " (" + profile + ") to be "
                        + want + "; it is " + status + ", the screen:\n" + screen);
            }
            pause();
            String next = tmux.capture(pane);
            if (!next.equals(screen)) {
                screen = next;
                stillSince = System.nanoTime();
            }
        }
    }

    /** Watches {@code pane} until its input box shows a draft (typed or pasted, not yet submitted); returns the screen. */
    public static String awaitDraft(Tmux tmux, String pane, String profile, Duration timeout) {
        long end = System.nanoTime() + timeout.toNanos();
        String screen = tmux.capture(pane);
        while (draft(profile, screen).isEmpty()) {
            if (System.nanoTime() - end > 0) {
                throw new AssertionError("waited " + timeout.toSeconds() + " s for a draft in " + pane + "'s input box ("
                        + profile + "); the screen:\n" + screen);
            }
            pause();
            screen = tmux.capture(pane);
        }
        return screen;
    }

    private static String agent(String profile) {
        String agent = SPEC_AGENT.get(profile);
        if (agent == null) {
            throw new IllegalArgumentException("no agent of the spec team reads profile " + profile);
        }
        return agent;
    }

    private static void pause() {
        try {
            Thread.sleep(PAUSE_MS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while watching a screen", e);
        }
    }
}
