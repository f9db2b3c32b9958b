/**
 * Running external programs safely: an argv list (never a shell), a timeout on every call, UTF-8, both
 * output streams drained, interrupts restored. The tmux adapter, verify commands and notify commands use it.
 * {@link dev.rulemux.proc.ProcessTrees} is the one place that ends processes with what they started (a program
 * that timed out, the programs of a killed tmux session, a CLI restarted, the strays a CLI left behind).
 */
package dev.rulemux.proc;
