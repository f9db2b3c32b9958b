package dev.rulemux.domain;

/**
 * The input box on an agent's screen.
 *
 * @param agent      whose screen
 * @param draft      the text typed and not yet submitted (empty when the box is empty or shows its placeholder)
 * @param fromBottom how far up the input line is, in non-blank lines from the bottom
 */
public record InputBox(String agent, String draft, int fromBottom) implements AboutAgent {

    public boolean hasDraft() {
        return !draft.isEmpty();
    }
}
