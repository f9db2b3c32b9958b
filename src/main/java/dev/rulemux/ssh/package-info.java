/**
 * Reaching another machine: the argv of the one OpenSSH connection rulemux keeps to each host (keys only, host keys
 * checked, no forwarding, keepalives, a timeout on connecting), and nothing else. What travels in that connection
 * (a tmux control-mode client) is the {@code tmux} package's business.
 */
package dev.rulemux.ssh;
