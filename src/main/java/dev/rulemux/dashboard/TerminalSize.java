package dev.rulemux.dashboard;

import java.io.File;
import java.io.IOException;
import java.lang.ProcessBuilder.Redirect;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The size of the terminal: {@code $COLUMNS} and {@code $LINES} when set, else what {@code stty size} says of the
 * controlling terminal ({@code /dev/tty}, so it works whatever stdout is, in tmux and over ssh), else 80 x 24.
 * Asked again each time, so a resized terminal gets frames of its new size.
 */
public final class TerminalSize implements Supplier<TerminalSize.Size> {

    /** A terminal's size in cells. */
    public record Size(int columns, int rows) {
    }

    public static final Size FALLBACK = new Size(80, 24);
    private static final long STTY_TIMEOUT_MS = 1000;

    private final Function<String, String> env;
    private boolean noTty;

    /** @param env the environment ({@code COLUMNS}, {@code LINES}) */
    public TerminalSize(Function<String, String> env) {
        this.env = env;
    }

    @Override
    public Size get() {
        Integer columns = positive(env.apply("COLUMNS"));
        Integer rows = positive(env.apply("LINES"));
        if (columns == null || rows == null) {
            Size tty = stty().orElse(FALLBACK);
            columns = columns == null ? tty.columns() : columns;
            rows = rows == null ? tty.rows() : rows;
        }
        return new Size(columns, rows);
    }

    /** {@code stty size} on /dev/tty; empty (and not tried again) when there is no terminal to ask. */
    private Optional<Size> stty() {
        if (noTty) {
            return Optional.empty();
        }
        try {
            Process p = new ProcessBuilder(List.of("stty", "size")).redirectInput(new File("/dev/tty"))
                    .redirectError(Redirect.DISCARD).start();
            if (!p.waitFor(STTY_TIMEOUT_MS, TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                return Optional.empty();
            }
            String[] out;
            try (var in = p.getInputStream()) {
                out = new String(in.readAllBytes(), StandardCharsets.US_ASCII).trim().split("\\s+");
            }
            Integer rows = out.length == 2 ? positive(out[0]) : null;
            Integer columns = out.length == 2 ? positive(out[1]) : null;
            if (p.exitValue() == 0 && rows != null && columns != null) {
                return Optional.of(new Size(columns, rows));
            }
        } catch (IOException e) {
            // no /dev/tty (no controlling terminal) or no stty
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
        noTty = true;
        return Optional.empty();
    }

    private static Integer positive(String value) {
        if (value == null) {
            return null;
        }
        try {
            int n = Integer.parseInt(value.trim());
            return n > 0 ? n : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
