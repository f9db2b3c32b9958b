package dev.rulemux.tmux;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.time.Duration;
import java.util.UUID;
import java.util.function.BooleanSupplier;

/** Test helper: a tmux server on a socket of its own, killed after the test. */
public final class PrivateTmux implements AutoCloseable {

    public final Tmux tmux;

    private PrivateTmux(Tmux tmux) {
        this.tmux = tmux;
    }

    /**
     * A fresh private server that ignores the user's tmux configuration; the test is skipped (with a message)
     * when tmux is not installed.
     */
    public static PrivateTmux start() {
        assumeTrue(Tmux.version().isPresent(), "tmux is not installed: skipping tests that need a real tmux");
        return new PrivateTmux(Tmux.withoutUserConfig("rulemux-test-" + UUID.randomUUID().toString().substring(0, 8)));
    }

    @Override
    public void close() {
        tmux.killServer();
    }

    /**
     * Waits until the screen of {@code pane} satisfies {@code wanted}, polling every 100 ms; returns that screen.
     * Fails after {@code timeout}, showing the last screen.
     */
    public String awaitScreen(String pane, Duration timeout, String what, java.util.function.Predicate<String> wanted) {
        long end = System.nanoTime() + timeout.toNanos();
        String screen = tmux.capture(pane);
        while (!wanted.test(screen)) {
            if (System.nanoTime() > end) {
                throw new AssertionError("timed out after " + timeout.toMillis() + " ms waiting for " + what
                        + "; the screen:\n" + screen);
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted while waiting for " + what);
            }
            screen = tmux.capture(pane);
        }
        return screen;
    }

    /** Waits until {@code condition} holds, polling every 25 ms; fails after {@code timeout}. */
    public static void await(Duration timeout, String what, BooleanSupplier condition) {
        long end = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < end) {
            if (condition.getAsBoolean()) {
                return;
            }
            try {
                Thread.sleep(25);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted while waiting for " + what);
            }
        }
        throw new AssertionError("timed out after " + timeout.toMillis() + " ms waiting for " + what);
    }
}
