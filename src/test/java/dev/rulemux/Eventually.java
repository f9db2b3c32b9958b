package dev.rulemux;

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.function.Predicate;

/**
 * Test helper: waits for a condition, never for a stretch of time. A probe is asked again and again (a short pause
 * between asks) until its answer is the one wanted; the timeout is generous, a bound for a wait that never ends,
 * not a statement of speed: a loaded 2-core machine may take many times longer than a quiet one.
 */
public final class Eventually {

    /** How long to wait for what should come in well under a second on a quiet machine. */
    public static final Duration GENEROUS = Duration.ofSeconds(60);

    private static final long PAUSE_MS = 25;

    private Eventually() {
    }

    /** Waits up to {@link #GENEROUS} until {@code condition} holds; fails naming {@code what} if it never does. */
    public static void until(String what, Callable<Boolean> condition) {
        await(what, GENEROUS, condition, Boolean.TRUE::equals);
    }

    /** Waits up to {@code timeout} until {@code condition} holds; fails naming {@code what} if it never does. */
    public static void until(String what, Duration timeout, Callable<Boolean> condition) {
        await(what, timeout, condition, Boolean.TRUE::equals);
    }

    /** Waits up to {@link #GENEROUS} for {@code probe} to give a value {@code wanted} accepts; returns it. */
    public static <T> T await(String what, Callable<T> probe, Predicate<? super T> wanted) {
        return await(what, GENEROUS, probe, wanted);
    }

    /**
     * Waits up to {@code timeout} for {@code probe} to give a value {@code wanted} accepts, and returns it; fails
     * with the last value seen (or the last exception thrown by the probe) when none came.
     */
    public static <T> T await(String what, Duration timeout, Callable<T> probe, Predicate<? super T> wanted) {
        long end = System.nanoTime() + timeout.toNanos();
        T last = null;
        Exception failure = null;
        while (true) {
            try {
                last = probe.call();
                failure = null;
                if (wanted.test(last)) {
                    return last;
                }
            } catch (Exception e) {
                failure = e;
            }
            if (System.nanoTime() - end > 0) {
                AssertionError error = new AssertionError("waited " + timeout.toSeconds() + " s for " + what
                        + "; last seen: " + (failure != null ? failure : last));
                if (failure != null) {
                    error.initCause(failure);
                }
                throw error;
            }
            try {
                Thread.sleep(PAUSE_MS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted while waiting for " + what, e);
            }
        }
    }
}
