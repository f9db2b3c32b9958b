package dev.rulemux.terminal;

/**
 * A pane of the terminal: one agent's window, as the terminal (tmux's {@code list-panes}) reports it.
 *
 * @param session        the session
 * @param window         the window's name
 * @param windowIndex    the window's index
 * @param id             the pane id ({@code %12}), stable for the pane's life
 * @param dead           its process has ended (kept on screen by {@code remain-on-exit})
 * @param currentCommand its foreground command
 * @param pid            its process id
 */
public record Pane(String session, String window, int windowIndex, String id, boolean dead, String currentCommand, int pid) {
}
