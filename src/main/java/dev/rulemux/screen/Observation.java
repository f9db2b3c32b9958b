package dev.rulemux.screen;

import dev.rulemux.domain.ContextMeter;
import dev.rulemux.domain.Dialog;
import dev.rulemux.domain.InputBox;
import dev.rulemux.domain.Marker;
import dev.rulemux.domain.TaskOnScreen;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What one screen shows, as facts for the policy: the markers found, the input box, the context meter and
 * any dialog; and, for the loop to compare with a later screen, the turn lines of its transcript.
 *
 * @param turns the lines the profile's {@code turns:} markers found above the input box, anywhere on the screen, top
 *              to bottom, stripped (empty for a profile without {@code turns:}); not a fact: {@link Turns} compares them
 *              with those on screen when a prompt was delivered
 */
public record Observation(String agent, List<Marker> markers, Optional<InputBox> input, Optional<ContextMeter> context,
                          List<Dialog> dialogs, List<TaskOnScreen> tasksShown, List<String> turns) {

    public Observation {
        markers = List.copyOf(markers);
        dialogs = List.copyOf(dialogs);
        tasksShown = List.copyOf(tasksShown);
        turns = List.copyOf(turns);
    }

    /** Every fact of this observation, ready to insert. */
    public List<Object> facts() {
        List<Object> out = new ArrayList<>(markers);
        input.ifPresent(out::add);
        context.ifPresent(out::add);
        out.addAll(dialogs);
        out.addAll(tasksShown);
        return out;
    }

    public Optional<Integer> contextUsedPercent() {
        return context.map(ContextMeter::usedPercent);
    }
}
