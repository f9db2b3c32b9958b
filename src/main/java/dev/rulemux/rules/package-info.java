/**
 * Policy engine: the only user of {@code org.kie}. Loads the DRL from disk, compiles it with file:line errors, rebuilds it on change (keeping the last good one) and fires it over a tick's facts.
 */
package dev.rulemux.rules;
