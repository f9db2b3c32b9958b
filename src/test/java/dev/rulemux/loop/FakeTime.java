package dev.rulemux.loop;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Test helper: the loop's clock and its sleeper in one. Time stands still until a spec moves it on
 * ({@link #passes}) or the code under test sleeps: a sleep returns at once, the clock moved on by it.
 */
public final class FakeTime extends Clock implements Sleeper {

    private final AtomicLong millis;
    private final AtomicLong slept = new AtomicLong();

    /** Starts at {@code start}. */
    public FakeTime(Instant start) {
        this.millis = new AtomicLong(start.toEpochMilli());
    }

    /** Starts at 9:00 UTC on 2 December 2026. */
    public FakeTime() {
        this(Instant.parse("2026-12-02T09:00:00Z"));
    }

    /** {@code d} passes. */
    public FakeTime passes(Duration d) {
        millis.addAndGet(d.toMillis());
        return this;
    }

    /** How long the code under test has slept in all. */
    public Duration slept() {
        return Duration.ofMillis(slept.get());
    }

    @Override
    public void sleep(Duration d) {
        if (d.isNegative()) {
            return;
        }
        slept.addAndGet(d.toMillis());
        millis.addAndGet(d.toMillis());
    }

    @Override
    public long millis() {
        return millis.get();
    }

    @Override
    public Instant instant() {
        return Instant.ofEpochMilli(millis());
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        throw new UnsupportedOperationException("a fake clock keeps UTC");
    }
}
