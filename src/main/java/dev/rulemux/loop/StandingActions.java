package dev.rulemux.loop;

import dev.rulemux.domain.Action;
import dev.rulemux.domain.ActionType;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The actions the policy keeps deciding, so that each is carried out once: an action decided at one tick and again
 * at the next is not new (the policy's own cooldowns make a retry a new decision, as the action lapses in between).
 * An action that failed stays new, to be tried again at the next tick it is decided.
 */
final class StandingActions {

    /** What identifies an action across ticks (its reason may word the same decision differently). */
    private record Key(String type, String agent, String task, String target, List<String> keys) {
        static Key of(Action a) {
            return new Key(a.type().wireName(), a.agent(), a.task(), a.target(), a.keys());
        }
    }

    private final Set<ActionType> allowed;
    private Set<Key> standing = Set.of();
    private Set<Key> decided = Set.of();

    /** @param allowed the action types carried out (others are decided and logged only); empty: all */
    StandingActions(Set<ActionType> allowed) {
        this.allowed = Set.copyOf(allowed);
    }

    /** Of the actions decided this tick, the allowed ones that were not standing already, in order. */
    List<Action> fresh(List<Action> actions) {
        Set<Key> now = new HashSet<>();
        List<Action> fresh = new ArrayList<>();
        for (Action a : actions) {
            if (!allowed.isEmpty() && !allowed.contains(a.type())) {
                continue;
            }
            Key key = Key.of(a);
            now.add(key);
            if (!standing.contains(key)) {
                fresh.add(a);
            }
        }
        decided = now;
        return fresh;
    }

    /** This tick's actions stand from now on, but for those that {@code failed}. */
    void settle(List<Action> failed) {
        Set<Key> now = new HashSet<>(decided);
        failed.forEach(a -> now.remove(Key.of(a)));
        standing = now;
    }
}
