package dev.rulemux.demo;

/** The demo cannot run as asked (its message says why and what to do). */
public final class DemoRefused extends RuntimeException {

    public DemoRefused(String message) {
        super(message);
    }
}
