/**
 * The run loop: capture every pane, build the tick's facts, let the policy decide, carry the actions out.
 * {@link dev.rulemux.loop.Decider} is the decide step on its own, shared by {@code rulemux decide} and the loop.
 */
package dev.rulemux.loop;
