package dev.rulemux.domain;

/**
 * The result of a task's verify command for one attempt.
 *
 * @param task       the task
 * @param attempt    the attempt it checked
 * @param passed     exit code 0 within the time allowed
 * @param exitCode   its exit code (-1 when it was killed for taking too long or could not start)
 * @param outputTail the end of its output, for the retry prompt
 */
public record Verification(String task, int attempt, boolean passed, int exitCode, String outputTail) {
}
