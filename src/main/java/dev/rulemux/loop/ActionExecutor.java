package dev.rulemux.loop;

import dev.rulemux.board.TaskRecord;
import dev.rulemux.config.Config;
import dev.rulemux.domain.Action;
import dev.rulemux.domain.Status;
import dev.rulemux.screen.Observation;
import java.util.List;

/**
 * The acting side of a run: what becomes of each tick's decision. A live run ({@link LiveActions}) carries it out
 * and records it; a dry run ({@link DryRunActions}) prints it and changes nothing.
 */
interface ActionExecutor extends Tick.Sightings, AutoCloseable {

    /** The run begins. */
    void starting();

    /** A tick begins at {@code now}, before anything is looked at. */
    void ticking(Config config, long now);

    /**
     * Carries out a tick's decision: the actions in {@code fresh} (those decided anew; the others stand from an earlier
     * tick) and, in a live run, the task transitions and the agents' reports the policy saw.
     *
     * @return the actions of {@code fresh} that failed (to be tried again when decided again)
     */
    List<Action> execute(Config config, Tick.Result result, List<Action> fresh);

    /**
     * From now on, {@link #execute} returns once the actions are under way, without waiting for them to end (a paste
     * waits for the CLI to draw it): the loop goes on looking at the other agents, and an agent whose actions still
     * run has its new ones decided again at the next tick. Without it (specs driving the loop tick by tick) each
     * tick's actions have ended when {@code execute} returns.
     */
    default void overlapActions() {
    }

    /** Waits for the actions still under way to end (the run is ending). */
    default void drain() {
    }

    /** The configuration was reloaded. */
    void reloaded(Config config);

    /** Said after the warning that the session has no agent windows. */
    String noWindowsAdvice();

    @Override
    void seen(String agent, Observation seen, Status status, List<TaskRecord> records, long now);

    @Override
    void close();
}
