package dev.rulemux.terminal;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The terminal the agents live in: one session per team, one window (pane) per agent. Every call may throw
 * {@link TerminalException} when the terminal fails. Text typed into a pane is pasted, never sent as key names,
 * so a prompt can neither press keys nor run commands; keys are pressed by name ({@code Enter}, {@code C-c}) and
 * those names come from profiles, never from prompts.
 */
public interface Terminal extends AutoCloseable {

    /** Whether the terminal program is there at all (tmux installed). */
    boolean installed();

    /** How a person reaches this terminal's server besides its default one ({@code tmux -L NAME}); empty: the default. */
    Optional<String> server();

    boolean hasSession(String session);

    /**
     * Creates a detached session whose first window runs {@code argv} (directly, never through a shell).
     *
     * @return the new pane's id
     */
    String newSession(String session, String window, Path dir, Map<String, String> env, List<String> argv, int width,
                      int height);

    /** Adds a window running {@code argv} (directly) to {@code session}; returns the new pane's id. */
    String newWindow(String session, String window, Path dir, Map<String, String> env, List<String> argv);

    /** Restarts the program of {@code pane} (killing what runs there), with {@code argv} run directly. */
    void respawn(String pane, Path dir, Map<String, String> env, List<String> argv);

    /** Every pane of {@code session}, in window order; empty when the session does not exist. */
    List<Pane> panes(String session);

    /** The visible screen of {@code pane} as plain text. */
    String capture(String pane);

    /** Pastes {@code text} into {@code pane} (control characters removed), without submitting it. */
    void paste(String pane, String text);

    /** Presses keys by name ({@code Enter}, {@code Escape}, {@code C-c}, {@code 1}). */
    void pressKeys(String pane, List<String> keys);

    /** Types {@code text} literally: each character is a character, never a key name. */
    void typeLiteral(String pane, String text);

    /** Ends the window of {@code pane}. */
    void killWindow(String pane);

    /** Ends {@code session} and the programs that ran in its panes. */
    void killSession(String session);

    /** The connections to other hosts this terminal reaches agents through; empty for this machine alone. */
    default List<Link> links() {
        return List.of();
    }

    /**
     * What the agents of {@code session} have reported through the terminal itself since the last call, by window
     * (agent) name, each report taken once: an agent on another host, without rulemux there, sets its pane's
     * {@code @rulemux-report} option ({@code tmux set-option -p @rulemux-report 'done t1 all tests pass'}).
     * Empty where there is no such channel.
     */
    default Map<String, String> takeReports(String session) {
        return Map.of();
    }

    /** Lets go of what this client holds (the panes and their programs are untouched). */
    @Override
    void close();
}
