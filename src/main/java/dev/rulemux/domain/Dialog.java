package dev.rulemux.domain;

import java.util.List;

/**
 * A dialog up on an agent's screen, with the keys that answer it (from the agent's profile).
 *
 * @param agent       whose screen
 * @param name        the profile's name for it ({@code approval}, {@code trust-folder}, …)
 * @param startup     true for a startup dialog, false for a tool-use approval or a limit dialog
 * @param limit       a dialog a CLI opens on a usage limit (what to do until the reset)
 * @param acceptKeys  tmux key names that accept it
 * @param declineKeys tmux key names that decline it
 * @param line        the screen line that identified it
 */
public record Dialog(String agent, String name, boolean startup, boolean limit, List<String> acceptKeys,
                     List<String> declineKeys, String line) implements AboutAgent {

    public Dialog(String agent, String name, boolean startup, List<String> acceptKeys, List<String> declineKeys, String line) {
        this(agent, name, startup, false, acceptKeys, declineKeys, line);
    }

    /** A tool-use approval (not a startup dialog, not a limit dialog). */
    public boolean approval() {
        return !startup && !limit;
    }

    public Dialog {
        acceptKeys = List.copyOf(acceptKeys);
        declineKeys = List.copyOf(declineKeys);
    }
}
