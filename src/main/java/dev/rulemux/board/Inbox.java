package dev.rulemux.board;

import dev.rulemux.domain.Report;
import dev.rulemux.domain.ReportOutcome;
import dev.rulemux.domain.Verification;
import java.util.List;

/**
 * What comes in about the tasks between two ticks, waiting for the policy: the agents' reports ({@code rulemux report})
 * and the results of the verify commands. The loop reads them, puts them before the policy, and marks a report acted on.
 */
public interface Inbox {

    /** Records an agent's report, to be acted on by the policy at the next tick. */
    void report(String task, ReportOutcome outcome, String note, String agent, long at);

    /** The reports not yet acted on, oldest first. */
    List<Report> reports();

    /** The report {@code seq} was put before the policy. */
    void consumed(long seq);

    /** Records the result of a verify command. */
    void verified(Verification result, long at);

    /** The verification results of the tasks now verifying, not yet acted on. */
    List<Verification> verifications();
}
