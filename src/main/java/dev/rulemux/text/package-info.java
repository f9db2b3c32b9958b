/**
 * Text that reaches a terminal or a log: what agents wrote (task titles, report notes, screen lines) made inert, so
 * that no escape sequence of theirs is ever interpreted by the operator's terminal.
 */
package dev.rulemux.text;
