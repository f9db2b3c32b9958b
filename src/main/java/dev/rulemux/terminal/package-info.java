/**
 * The terminal port: what the loop, the team and the commands need of the terminal the agents live in (list the
 * panes, capture a screen, paste text, press keys, start and end windows), with no word of how. tmux implements it
 * ({@code dev.rulemux.tmux}); the loop's specs use an in-memory one.
 */
package dev.rulemux.terminal;
