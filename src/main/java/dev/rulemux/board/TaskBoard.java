package dev.rulemux.board;

import dev.rulemux.config.TaskSpec;
import dev.rulemux.domain.Task;
import dev.rulemux.domain.TaskState;
import java.util.List;
import java.util.Optional;

/**
 * The tasks and where each one is: {@code tasks.yaml} declares them, {@code task add} and agents add more,
 * the policy's transitions and the actions carried out move them. Every state change goes through one
 * place that refuses the transitions {@link TaskState#canMoveTo} does not allow. Two implementations: the
 * SQLite store that survives a crash and is shared by every rulemux process, and an in-memory twin. Its
 * {@link Inbox} holds what agents and verify commands sent in, for the policy to act on.
 */
public interface TaskBoard extends Inbox, AutoCloseable {

    /** Every task in queue order, as the policy sees it at {@code now}. */
    List<Task> tasks(long now);

    /** Every task in queue order, as the policy sees it now (by the board's clock). */
    List<Task> tasks();

    List<TaskRecord> records();

    Optional<TaskRecord> record(String id);

    default Optional<TaskSpec> spec(String id) {
        return record(id).map(TaskRecord::spec);
    }

    default Optional<String> lastAgent(String id) {
        return record(id).map(TaskRecord::lastAgent);
    }

    /**
     * Takes in {@code tasks.yaml} as declared now: new tasks are added as PENDING, pending ones updated;
     * tasks already started keep their state and history.
     */
    void declare(List<TaskSpec> specs);

    /** Adds a task at run time; false (nothing changed) when its id is taken. */
    boolean add(TaskSpec spec, String source);

    /**
     * Moves {@code task} to {@code to}, on {@code agent} when it goes in flight or to verification.
     *
     * @return false, changing nothing, when the task does not exist or the transition is not allowed
     */
    boolean move(String task, TaskState to, String agent, String reason);

    /** Puts {@code task} back in the queue for {@code agent} to take (a handoff to a backup). */
    boolean handTo(String task, String agent, String reason);

    /**
     * Whether this board writes a move's journal event in the same change as the move
     * ({@link #move(String, TaskState, String, String, Entry)}), so that a crash between the two cannot keep the
     * one without the other. A board without a journal of its own leaves the event to its caller's journal.
     */
    default boolean journalsMoves() {
        return false;
    }

    /** The journal's record of a move: the agent and task it is about, and what it says. */
    record Entry(String agent, String text) {
    }

    /**
     * As {@link #move(String, TaskState, String, String)}, with {@code entry} written to the journal as the move's
     * {@code TRANSITION} event in the same change, where {@link #journalsMoves()}.
     */
    default boolean move(String task, TaskState to, String agent, String reason, Entry entry) {
        return move(task, to, agent, reason);
    }

    /** As {@link #handTo(String, String, String)}, with {@code entry} journaled with it where {@link #journalsMoves()}. */
    default boolean handTo(String task, String agent, String reason, Entry entry) {
        return handTo(task, agent, reason);
    }

    /** A person asks for a new try: a failed, blocked or cancelled task becomes pending with its attempts reset. */
    boolean retry(String task, String reason);

    /** Its prompt was delivered to {@code agent}: ASSIGNED, one more attempt, the delivery recorded. */
    boolean delivered(String task, String agent, long at, String finishedLineBefore);

    void enterPressed(String task, long at);

    void seenWorking(String task);

    /** The end of the last failed verification's output, cleared by a pass. */
    default Optional<String> lastFailure(String task) {
        return record(task).map(TaskRecord::lastOutput).filter(s -> !s.isEmpty());
    }

    /** True when no task is pending, in flight or verifying. */
    default boolean done() {
        return tasks().stream().noneMatch(t -> t.state() == TaskState.PENDING || t.state().inFlight()
                || t.state() == TaskState.VERIFYING);
    }

    /**
     * Called by the loop at the start of each tick: a board that kept changes back while its store could not be
     * written tries to write them now.
     *
     * @return what a person should be told (an outage began, goes on, or ended); empty when nothing
     */
    default List<String> catchUp() {
        return List.of();
    }

    /** The tasks' git branches and their merges (agents in worktrees), kept where this board keeps its tasks. */
    Branches branches();

    @Override
    default void close() {
    }
}
