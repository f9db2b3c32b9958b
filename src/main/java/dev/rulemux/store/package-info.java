/**
 * Durable state in SQLite ({@code .rulemux/state.db} under the config directory): the tasks with their
 * runtime state and delivery records, the agents' last known state, the agents' reports, verification
 * results, and an append-only journal of every decision and action. Shared safely by the loop, the CLI and
 * the agents (WAL, immediate write transactions, a busy timeout); versioned migrations; a foreign or corrupt
 * file is refused with a clear error, never reset.
 *
 * <p>{@link dev.rulemux.store.Database} opens, checks and migrates the file and runs the transactions; one store per
 * kind of row works through it: {@link dev.rulemux.store.TaskStore} (the tasks, read incrementally),
 * {@link dev.rulemux.store.InboxStore} (reports, verification results), {@link dev.rulemux.store.JournalStore} (events)
 * and {@link dev.rulemux.store.AgentStore} (the agents' rows). {@link dev.rulemux.store.StateStore} is all of them as
 * one {@link dev.rulemux.board.TaskBoard} and {@link dev.rulemux.board.Journal}, the way commands open the state. The
 * times the stores record come from the {@link java.time.Clock} they are given. {@link dev.rulemux.store.StatusDocument}
 * renders the state as {@code ORCHESTRATION_STATUS.md} for agents and people.
 */
package dev.rulemux.store;
