/**
 * Durable task state in SQLite.
 */
package dev.rulemux.store;
