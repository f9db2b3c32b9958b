package dev.rulemux.tmux;

import java.util.List;

/**
 * Developer tooling, never a way to deliver a prompt: the seeds' ways of typing into a pane, kept to show the bug
 * they had (the screen recorder, the delivery bench, the specs that show rulemux recovering from it). rulemux
 * itself pastes through a buffer, then presses the submit keys ({@link Tmux#paste}, {@link Tmux#pressKeys}).
 * Control characters are removed from the text; a text that is a tmux key name ({@code Enter}, {@code C-c}) would
 * be pressed as that key, so callers pass plain prose.
 */
public final class SeedsKeys {

    private SeedsKeys() {
    }

    /**
     * Reproduces the delivery bug users hit: {@code send-keys -t PANE TEXT Enter} in one call, so the text and the
     * Enter reach the program in one read and its paste detection takes the Enter for a newline in the draft.
     */
    public static void sendKeysNaively(Tmux tmux, String pane, String text) {
        tmux.run(List.of("send-keys", "-t", pane, PasteText.clean(text), "Enter"));
    }

    /**
     * The first half of the seeds' workaround for {@link #sendKeysNaively}: {@code send-keys -t PANE TEXT} without
     * Enter (the caller waits, then presses Enter with {@link Tmux#pressKeys}). For benchmarking that workaround only.
     */
    public static void sendKeysWithoutEnter(Tmux tmux, String pane, String text) {
        tmux.run(List.of("send-keys", "-t", pane, PasteText.clean(text)));
    }
}
