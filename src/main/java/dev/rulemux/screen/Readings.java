package dev.rulemux.screen;

import dev.rulemux.config.Profile;
import dev.rulemux.domain.PaneSnapshot;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The last reading of each agent's screen, given again while the screen, the pane's command and the profile
 * are the same: most screens of a team do not change from one tick to the next, and reading one is a pass of
 * every marker of its profile over its bottom lines.
 */
public final class Readings {

    private record Last(Profile profile, String text, String command, Observation seen) {
    }

    private final Map<String, Last> last = new HashMap<>();

    /** What {@link ScreenReader#read} reads from this snapshot with this profile. */
    public synchronized Observation read(Profile profile, PaneSnapshot snapshot) {
        Last l = last.get(snapshot.agent());
        if (l != null && l.profile() == profile && Objects.equals(l.command(), snapshot.currentCommand())
                && l.text().equals(snapshot.text())) {
            return l.seen();
        }
        Observation seen = ScreenReader.read(profile, snapshot);
        last.put(snapshot.agent(), new Last(profile, snapshot.text(), snapshot.currentCommand(), seen));
        return seen;
    }
}
