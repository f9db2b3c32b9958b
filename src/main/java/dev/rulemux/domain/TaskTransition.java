package dev.rulemux.domain;

/** A decision of the policy that a task moves to another state, and why. Java applies it to the task board. */
public record TaskTransition(String task, TaskState to, String reason) {
}
