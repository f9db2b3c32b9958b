/**
 * Perception: turns a pane capture into observation facts (markers matched, input draft, context meter) using a CLI profile. It observes; it never decides.
 */
package dev.rulemux.screen;
