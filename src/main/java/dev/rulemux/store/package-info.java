/**
 * Durable state in SQLite ({@code .rulemux/state.db} under the config directory): the tasks with their
 * runtime state and delivery records, the agents' last known state, the agents' reports, verification
 * results, and an append-only journal of every decision and action. Shared safely by the loop, the CLI and
 * the agents (WAL, immediate write transactions, a busy timeout); versioned migrations; a foreign or corrupt
 * file is refused with a clear error, never reset. {@link dev.rulemux.store.StatusDocument} renders it as
 * {@code ORCHESTRATION_STATUS.md} for agents and people.
 */
package dev.rulemux.store;
