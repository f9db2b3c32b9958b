/**
 * Running external programs safely: an argv list (never a shell), a timeout on every call, UTF-8, both
 * output streams drained, interrupts restored. The tmux adapter, verify commands and notify commands use it.
 */
package dev.rulemux.proc;
