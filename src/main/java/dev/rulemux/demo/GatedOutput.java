package dev.rulemux.demo;

import java.io.Writer;

/** The console while the user's terminal belongs to an attached tmux client: output is dropped until opened. */
final class GatedOutput extends Writer {

    private final Writer out;
    private volatile boolean open;

    GatedOutput(Writer out, boolean open) {
        this.out = out;
        this.open = open;
    }

    void open() {
        open = true;
    }

    @Override
    public void write(char[] buf, int off, int len) throws java.io.IOException {
        if (open) {
            out.write(buf, off, len);
        }
    }

    @Override
    public void flush() throws java.io.IOException {
        if (open) {
            out.flush();
        }
    }

    @Override
    public void close() throws java.io.IOException {
        flush();
    }
}
