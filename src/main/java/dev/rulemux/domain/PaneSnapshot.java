package dev.rulemux.domain;

/**
 * One capture of an agent's pane.
 *
 * <p>It holds instants, not ages, so that a screen that did not change is the same fact from one tick to the next
 * (a run's long-lived session then has nothing to match again); rules measure ages against the tick's {@link Now}.
 *
 * @param agent          whose pane
 * @param text           the visible screen as plain text ({@code capture-pane -p})
 * @param changedAtMs    when the screen last changed (first looked exactly like this), epoch ms
 * @param dead           the pane's process has ended
 * @param currentCommand the pane's foreground command (tmux {@code pane_current_command}), or null when unknown
 * @param launchedAtMs   when rulemux launched the agent's CLI, epoch ms, or -1 when unknown
 */
public record PaneSnapshot(String agent, String text, long changedAtMs, boolean dead, String currentCommand,
                           long launchedAtMs) implements AboutAgent {

    /** A screen of a live pane, unchanged since {@code changedAtMs}, of a CLI whose launch is not known. */
    public static PaneSnapshot recorded(String agent, String text, long changedAtMs) {
        return new PaneSnapshot(agent, text, changedAtMs, false, null, -1);
    }

    /** How long the screen has looked exactly like this at {@code nowMs} (0 for a clock that went back). */
    public long unchangedMs(long nowMs) {
        return Math.max(0, nowMs - changedAtMs);
    }

    /** Whether rulemux's launch of the CLI is known. */
    public boolean launchKnown() {
        return launchedAtMs >= 0;
    }

    /** How long ago rulemux launched the agent's CLI at {@code nowMs}, or -1 when unknown. */
    public long launchedMsAgo(long nowMs) {
        return launchedAtMs < 0 ? -1 : Math.max(0, nowMs - launchedAtMs);
    }
}
