/**
 * {@code rulemux demo}: the whole product on a bundled team, with nothing to install beyond Java and tmux. A fresh
 * copy of the demo configuration (three simulated agents of three tiers and a dozen tasks, one that hangs, one
 * that needs approval, one that fills its agent's context) runs on a private tmux server to a summary of what
 * each task went through; then the server is ended, so that nothing is left running. With {@code --real}, two
 * of the agents are the real Claude Code and Codex, talking to the in-process mock model server.
 */
package dev.rulemux.demo;
