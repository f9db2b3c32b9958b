package dev.rulemux.loop;

import java.time.Duration;

/**
 * How the loop waits (a submit delay, the time between ticks, a screen watched): the one place it sleeps, so that
 * specs can wait on a fake clock instead of the wall clock. A sleep cut short by an interrupt returns early with
 * the thread's interrupt flag set, for the caller to see.
 */
@FunctionalInterface
public interface Sleeper {

    /** The thread sleeps. */
    Sleeper REAL = d -> {
        if (d.isNegative() || d.isZero()) {
            return;
        }
        try {
            Thread.sleep(d.toMillis(), d.toNanosPart() % 1_000_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    };

    void sleep(Duration d);
}
