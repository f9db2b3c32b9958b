package dev.rulemux.domain;

/**
 * One capture of an agent's pane.
 *
 * @param agent          whose pane
 * @param text           the visible screen as plain text ({@code capture-pane -p})
 * @param unchangedMs    how long the screen has looked exactly like this
 * @param dead           the pane's process has ended
 * @param currentCommand the pane's foreground command (tmux {@code pane_current_command}), or null when unknown
 * @param launchedMsAgo  how long ago rulemux launched the agent's CLI, or -1 when unknown
 */
public record PaneSnapshot(String agent, String text, long unchangedMs, boolean dead, String currentCommand,
                           long launchedMsAgo) implements AboutAgent {

    public static PaneSnapshot recorded(String agent, String text, long unchangedMs) {
        return new PaneSnapshot(agent, text, unchangedMs, false, null, -1);
    }
}
