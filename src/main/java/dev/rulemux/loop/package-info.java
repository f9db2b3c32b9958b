/**
 * The run loop: capture every pane, build facts, let the rules decide, carry the actions out.
 */
package dev.rulemux.loop;
