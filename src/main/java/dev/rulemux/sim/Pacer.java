package dev.rulemux.sim;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Spreads a streamed reply over the time a script says the model works, one tick every ~200 ms.
 *
 * <p>At the default pace ({@link Script.Pace#END}) ticks before the text send a keep-alive (the connection
 * shows life, the CLI keeps its "working" spinner); the text goes out in pieces over the last second.
 * Holding the text back matters for Codex, which hides its "Working" status line as soon as text streams in.
 * At {@link Script.Pace#EVEN} the pieces are spread over all ticks, so the reply grows on screen the whole
 * time, as a real model's does.
 */
final class Pacer {

    static final Duration TICK = Duration.ofMillis(200);
    /** The text streams over at most this many final ticks. */
    static final int TEXT_TICKS = 5;

    /** Receives one piece of the reply. */
    interface Sink {
        void piece(String text, boolean last) throws IOException;
    }

    /** Sent on a tick that has no piece. */
    interface KeepAlive {
        void tick() throws IOException;
    }

    /** Waits out one tick; the real one sleeps, a test's records the waits. */
    interface Sleeper {
        void sleep(long millis) throws IOException;

        /** Sleeps on the calling thread. */
        Sleeper REAL = Pacer::sleep;
    }

    private Pacer() {
    }

    /** Emits {@code pieces} over the last second of {@code work}; returns when the last one is out. */
    static void run(Duration work, List<String> pieces, Sink sink, KeepAlive keepAlive) throws IOException {
        run(work, Script.Pace.END, pieces, sink, keepAlive);
    }

    /** Emits {@code pieces} spread over {@code work} at {@code pace}; returns when the last one is out. */
    static void run(Duration work, Script.Pace pace, List<String> pieces, Sink sink, KeepAlive keepAlive)
            throws IOException {
        run(work, pace, pieces, sink, keepAlive, Sleeper.REAL);
    }

    /** As {@link #run(Duration, Script.Pace, List, Sink, KeepAlive)}, waiting each tick out with {@code sleeper}. */
    static void run(Duration work, Script.Pace pace, List<String> pieces, Sink sink, KeepAlive keepAlive,
            Sleeper sleeper) throws IOException {
        long ticks = Math.max(1, work.toMillis() / TICK.toMillis());
        long tickMillis = work.toMillis() / ticks;
        int slotCount = (int) Math.min(ticks, Integer.MAX_VALUE);
        List<String> slots = pace == Script.Pace.EVEN ? spreadEvenly(pieces, slotCount) : spread(pieces, slotCount);
        for (int i = 0; i < slots.size(); i++) {
            sleeper.sleep(tickMillis);
            String piece = slots.get(i);
            if (piece == null) {
                keepAlive.tick();
            } else {
                sink.piece(piece, i == slots.size() - 1);
            }
        }
    }

    /**
     * Lays {@code pieces} into {@code ticks} slots (null = a keep-alive): keep-alives first, then the pieces
     * over the last {@link #TEXT_TICKS} slots, the last piece in the last slot. With more pieces than
     * slots for them, neighbours are joined.
     */
    static List<String> spread(List<String> pieces, int ticks) {
        List<String> slots = new ArrayList<>();
        int textTicks = pieces.isEmpty() ? 0 : Math.min(ticks, TEXT_TICKS);
        for (int i = 0; i < ticks - textTicks; i++) {
            slots.add(null);
        }
        int n = pieces.size();
        int filled = 0;
        for (int slot = 0; slot < textTicks; slot++) {
            int upTo = (int) ((long) (slot + 1) * n / textTicks);
            if (upTo > filled) {
                slots.add(String.join("", pieces.subList(filled, upTo)));
                filled = upTo;
            } else {
                slots.add(null);
            }
        }
        return slots;
    }

    /**
     * Lays {@code pieces} into {@code ticks} slots evenly, from the first slot to the last (null = a keep-alive
     * where a slot gets no piece); the last piece is in the last slot.
     */
    static List<String> spreadEvenly(List<String> pieces, int ticks) {
        List<String> slots = new ArrayList<>();
        int n = pieces.size();
        int filled = 0;
        for (int slot = 0; slot < ticks; slot++) {
            int upTo = (int) ((long) (slot + 1) * n / ticks);
            if (upTo > filled) {
                slots.add(String.join("", pieces.subList(filled, upTo)));
                filled = upTo;
            } else {
                slots.add(null);
            }
        }
        return slots;
    }

    /** Splits text into words, each keeping the whitespace that follows it. */
    static List<String> words(String text) {
        List<String> words = new ArrayList<>();
        int start = 0;
        for (int i = 1; i <= text.length(); i++) {
            boolean end = i == text.length()
                    || (Character.isWhitespace(text.charAt(i - 1)) && !Character.isWhitespace(text.charAt(i)));
            if (end) {
                words.add(text.substring(start, i));
                start = i;
            }
        }
        return words;
    }

    private static void sleep(long millis) throws IOException {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while pacing a reply", e);
        }
    }
}
