/**
 * Command line: one picocli class per subcommand. Commands parse options, call the wiring in {@code Main} and print; they hold no orchestration logic.
 */
package dev.rulemux.cli;
