/**
 * Read-only views of a team for people: {@link dev.rulemux.dashboard.TeamView} is one consistent picture of the
 * state database (agents as the loop last saw them, tasks, the latest events), which the terminal dashboard
 * ({@code rulemux watch}) and the web dashboard ({@code rulemux serve}) render. Nothing here writes state or
 * touches tmux: a dashboard can run beside the loop, in another process, over ssh.
 */
package dev.rulemux.dashboard;
