package dev.rulemux.board;

import dev.rulemux.config.TaskSpec;
import dev.rulemux.domain.TaskState;

/**
 * Everything known of a task: its declaration and its life so far. Times are epoch milliseconds, 0 when
 * not yet.
 *
 * @param spec         as declared (tasks.yaml, {@code task add}, an agent)
 * @param source       where it was declared: {@code tasks.yaml}, {@code cli}, {@code agent:<name>}
 * @param order        its place in the queue
 * @param state        where it is
 * @param agent        the agent it is on, while in flight or verifying
 * @param lastAgent    the agent it was last given to
 * @param preferAgent  the agent it was handed to, or null
 * @param attempts     deliveries so far
 * @param createdAt    when it was declared
 * @param updatedAt    its last change
 * @param pendingSince when it last became pending
 * @param startedAt    when its last delivery was made
 * @param finishedAt   when it ended (completed, failed, cancelled)
 * @param note         the reason of its last change, or an agent's report note
 * @param lastOutput   the end of its last failed verification's output, for the retry prompt
 * @param delivery     its delivery, while in flight
 */
public record TaskRecord(TaskSpec spec, String source, int order, TaskState state, String agent, String lastAgent,
                         String preferAgent, int attempts, long createdAt, long updatedAt, long pendingSince,
                         long startedAt, long finishedAt, String note, String lastOutput, DeliveryRecord delivery) {

    public String id() {
        return spec.id();
    }

    /**
     * How a prompt was delivered, kept so that a restarted run knows what was done before it.
     *
     * @param agent         the agent
     * @param deliveredAt   when it was pasted and submitted once
     * @param enterPresses  submit key presses so far
     * @param lastKeysAt    the last press
     * @param seenWorking   the agent was seen at work on it
     * @param finishedLine  the agent's newest finished-turn line before the delivery (a new one means a turn ran)
     */
    public record DeliveryRecord(String agent, long deliveredAt, int enterPresses, long lastKeysAt, boolean seenWorking,
                                 String finishedLine) {
    }
}
