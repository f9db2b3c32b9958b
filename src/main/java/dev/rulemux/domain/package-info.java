/**
 * Domain facts: agents, pane snapshots, screen observations, tasks, statuses and actions. Plain values with no framework or IO imports; the rules reason over them.
 */
package dev.rulemux.domain;
