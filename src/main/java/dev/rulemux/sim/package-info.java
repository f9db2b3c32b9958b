/**
 * Simulation: a mock model server that the real agent CLIs talk to offline, the sandboxes they run in, and a simulated agent.
 */
package dev.rulemux.sim;
