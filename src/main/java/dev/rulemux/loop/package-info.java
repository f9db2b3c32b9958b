/**
 * The run loop: capture every pane, build the tick's facts, let the policy decide, carry the actions out.
 * {@link dev.rulemux.loop.RunLoop} is a thin loop over its parts: {@link dev.rulemux.loop.Tick} perceives and
 * decides, an {@link dev.rulemux.loop.ActionExecutor} acts (live, or a dry run that only prints), the
 * {@link dev.rulemux.loop.Reloader} takes edits. The loop reaches the agents only through the
 * {@link dev.rulemux.terminal.Terminal} port, and time only through the injected {@link java.time.Clock} and
 * {@link dev.rulemux.loop.Sleeper}. {@link dev.rulemux.loop.Decider} is the decide step on its own, shared by
 * {@code rulemux decide} and the loop.
 */
package dev.rulemux.loop;
