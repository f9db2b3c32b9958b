/**
 * The task board: the tasks and where each one is ({@link dev.rulemux.board.TaskBoard}, its records
 * {@link dev.rulemux.board.TaskRecord} and the one place their changes are made, {@link dev.rulemux.board.TaskRecords}),
 * the {@link dev.rulemux.board.Inbox} of agents' reports and verification results waiting for the policy, and the
 * {@link dev.rulemux.board.Journal} of a run. Two boards: the in-memory {@link dev.rulemux.board.MemoryTaskBoard}
 * (tests, dry runs, {@code start}, {@code send}) and the SQLite store of {@code dev.rulemux.store}; the run loop uses the
 * store through {@link dev.rulemux.board.ResilientBoard}, which outlasts a store that cannot be written for a while.
 * The times recorded come from the {@link java.time.Clock} a board is given. No dependency on the loop, the store or
 * tmux.
 */
package dev.rulemux.board;
