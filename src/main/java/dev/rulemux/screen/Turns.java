package dev.rulemux.screen;

import java.util.List;
import java.util.Optional;

/**
 * Whether a screen's transcript shows a turn that was not on an earlier screen of the same pane, from the turn lines
 * each showed ({@link Observation#turns()}). The visible screen scrolls: lines drop off its top as new ones come below,
 * so a count of turn lines can stay the same or fall while a turn is added. What cannot happen without a new turn is a
 * turn line below those that were there: the later screen's turn lines are then no longer the tail end of the earlier
 * one's (a screen that only scrolled, for a taller input box or a long paste, shows a tail end of them; one cleared
 * shows none).
 */
public final class Turns {

    private Turns() {
    }

    /**
     * The newest turn line of {@code now} when it shows a turn {@code before} did not (its turn lines are not the last
     * ones of {@code before}); empty otherwise.
     */
    public static Optional<String> newSince(List<String> before, List<String> now) {
        if (now.isEmpty()) {
            return Optional.empty();
        }
        boolean scrolledOnly = now.size() <= before.size()
                && before.subList(before.size() - now.size(), before.size()).equals(now);
        return scrolledOnly ? Optional.empty() : Optional.of(now.get(now.size() - 1));
    }
}
