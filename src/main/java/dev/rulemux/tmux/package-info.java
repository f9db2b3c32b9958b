/**
 * The tmux adapter: the only code that runs tmux. Argv lists, timeouts, UTF-8, prompt text through buffers.
 */
package dev.rulemux.tmux;
