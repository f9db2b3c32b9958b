package dev.rulemux.loop;

import dev.rulemux.config.Profile;
import dev.rulemux.domain.InputBox;
import dev.rulemux.domain.PaneSnapshot;
import dev.rulemux.screen.ScreenReader;
import dev.rulemux.terminal.Terminal;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;

/**
 * Types a text into a CLI and submits it: pastes it (through a tmux buffer, as a bracketed paste), then presses the
 * profile's submit keys.
 *
 * <p>When the keys are pressed is the profile's: after {@code delivery.submit_delay} (the CLIs take an Enter that comes
 * too soon after a paste as part of it), or, with {@code delivery.submit_after_draft}, that long after the pasted text
 * shows in the input box, if that comes sooner. A CLI draws a paste once it has taken it in, so the keys can follow it
 * closely instead of waiting out a delay sized for the slowest case: the screen is looked at every
 * {@link #LOOK_EVERY} until the box holds a draft it did not hold before the paste, the same at two looks in a row
 * (a CLI that draws a long paste as it reads it is still reading while it changes). Never later than
 * {@code submit_delay} after the paste: a box the profile cannot read (or a draft too long to change what it shows)
 * gets the fixed delay, as before. What happens when the keys were taken as part of the paste anyway is the policy's
 * (rules/delivery.drl presses them again when the prompt is left as a draft).
 */
final class Typist {

    /** How often the screen is looked at while waiting for the paste to show. */
    static final Duration LOOK_EVERY = Duration.ofMillis(10);

    private final Clock clock;
    private final Sleeper sleeper;

    Typist(Clock clock, Sleeper sleeper) {
        this.clock = clock;
        this.sleeper = sleeper;
    }

    /**
     * Pastes {@code text} into {@code pane} and presses the submit keys of {@code profile}.
     *
     * @return milliseconds from the paste to the keys
     */
    long type(Terminal terminal, String pane, Profile profile, String text) {
        Profile.DeliverySpec delivery = profile.delivery();
        Duration afterDraft = delivery.submitAfterDraft();
        if (afterDraft == null || afterDraft.compareTo(delivery.submitDelay()) >= 0) {
            long start = clock.millis();
            terminal.paste(pane, text);
            sleeper.sleep(delivery.submitDelay());
            terminal.pressKeys(pane, delivery.submitKeys());
            return clock.millis() - start;
        }
        Optional<String> before = draft(terminal, pane, profile);
        long start = clock.millis();
        terminal.paste(pane, text);
        long deadline = start + delivery.submitDelay().toMillis();
        // bounded by count as well as by the clock: a clock that a spec does not move still ends the wait
        long looks = delivery.submitDelay().toMillis() / LOOK_EVERY.toMillis() + 1;
        Optional<String> last = Optional.empty();
        for (long i = 0; i < looks; i++) {
            long left = deadline - clock.millis();
            if (left <= 0) {
                break;
            }
            Optional<String> now = draft(terminal, pane, profile);
            if (now.isPresent() && !now.get().isEmpty() && !now.equals(before) && now.equals(last)) {
                sleeper.sleep(Duration.ofMillis(Math.min(afterDraft.toMillis(), Math.max(0, deadline - clock.millis()))));
                break;
            }
            last = now;
            sleeper.sleep(Duration.ofMillis(Math.min(LOOK_EVERY.toMillis(), left)));
        }
        terminal.pressKeys(pane, delivery.submitKeys());
        return clock.millis() - start;
    }

    /** The draft in the input box as the profile reads the screen now; empty when the box cannot be read. */
    private Optional<String> draft(Terminal terminal, String pane, Profile profile) {
        String screen;
        try {
            screen = terminal.capture(pane);
        } catch (RuntimeException e) {
            return Optional.empty();
        }
        return ScreenReader.read(profile, PaneSnapshot.recorded("typist", screen, clock.millis())).input().map(InputBox::draft);
    }
}
