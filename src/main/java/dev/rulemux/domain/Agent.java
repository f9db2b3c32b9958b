package dev.rulemux.domain;

/**
 * An agent as the policy sees it: who it is and what it may take.
 *
 * @param name            unique name, also its tmux window name
 * @param profile         the screen profile of its CLI
 * @param tier            the task complexity it takes
 * @param backup          the agent that inherits its work on handoff, or null
 * @param role            worker or orchestrator
 * @param approvals       how its tool-use approval dialogs are answered
 * @param startupDialogs  how its startup dialogs (trust this folder, use this key) are answered
 * @param order           its position in {@code agents.yaml}, to break ties predictably
 */
public record Agent(String name, String profile, Tier tier, String backup, Role role,
                    Answer approvals, Answer startupDialogs, int order) {

    public boolean hasBackup() {
        return backup != null && !backup.isEmpty();
    }
}
