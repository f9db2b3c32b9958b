package dev.rulemux.sim;

import java.time.Duration;

/** What the mock model answers to one request, decided from its {@link Script}; each dialect writes it in its own wire format. */
sealed interface Reply {

    /** A text answer streamed over {@code work} at {@code pace}, reporting {@code inputTokens} in its usage. */
    record Text(String text, long inputTokens, Duration work, Script.Pace pace) implements Reply {

        /** A text that streams at the end of its work time. */
        Text(String text, long inputTokens, Duration work) {
            this(text, inputTokens, work, Script.Pace.END);
        }
    }

    /** A call of the CLI's shell tool that runs {@code command}, which the CLI should ask the user to approve. */
    record ShellCall(String command, long inputTokens, Duration work) implements Reply {
    }

    /** An HTTP error with the dialect's error body and a {@code retry-after} header. */
    record Failure(int status, Duration retryAfter) implements Reply {
    }

    /** The dialect's "usage limit reached" answer, the one that makes the CLI show its limit screen. */
    record UsageLimit(Duration retryAfter, Duration resetsIn) implements Reply {

        UsageLimit(Duration retryAfter) {
            this(retryAfter, Duration.ofHours(3));
        }
    }
}
