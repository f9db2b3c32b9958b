package dev.rulemux.rules;

import static dev.rulemux.rules.PolicySpec.NOW;
import static dev.rulemux.rules.PolicySpec.spec;
import static org.assertj.core.api.Assertions.assertThat;

import dev.rulemux.domain.Action;
import dev.rulemux.domain.ActionType;
import dev.rulemux.domain.HookEvent;
import dev.rulemux.domain.HookKind;
import dev.rulemux.domain.Status;
import org.junit.jupiter.api.Test;

/**
 * Specifies how the silence of a CLI's prompt-submitted hook (Claude Code's UserPromptSubmit, Gemini CLI's BeforeAgent)
 * gets Enter pressed again (rules/delivery.drl) where the screen cannot read the input box: a new CLI version drew its
 * input line so that the profile no longer finds it. The screens are recorded ones with their input line drawn another
 * way (" > " becomes " ≫ ", "❯" becomes "≫"); where the profile still reads the box, the screen decides. Gemini CLI's
 * enter_retry_after is 600 ms (its profile), its max_enter_presses 4.
 */
class HookSilencePolicyTest {

    /** A prompt delivered this long ago, its Enter pressed then. */
    private static final long DELIVERED_MS_AGO = 2_000;

    /** Gemini CLI's recorded screen of a prompt left in its input box, its input line no longer the profile's. */
    private static String geminiInputLineChanged(String fixture) {
        String screen = PolicySpec.read(fixture);
        String changed = screen.replaceAll("(?m)^ >", " ≫");
        assertThat(changed).isNotEqualTo(screen);
        return changed;
    }

    private static HookEvent hook(String agent, HookKind kind, String event, long msAgo) {
        return new HookEvent(agent, kind, event, NOW - msAgo);
    }

    /** The hook Gemini CLI ran when it started, before the prompt: its hooks are heard. */
    private static HookEvent geminiStarted() {
        return hook("gemini", HookKind.SESSION_STARTED, "SessionStart", 60_000);
    }

    private static PolicySpec geminiDelivered(String screen, int enterPresses, long msSinceKeys) {
        return spec().text("gemini", screen, msSinceKeys).assigned("gemini", "arch")
                .delivered("gemini", "arch", enterPresses, msSinceKeys, false);
    }

    private static java.util.List<Action> pressesFor(PolicySpec.Verdict v, String agent) {
        return v.actions(ActionType.PRESS_ENTER).stream().filter(a -> agent.equals(a.agent())).toList();
    }

    @Test
    void givenGeminiWithNoBeforeAgentSinceTheDelivery_andNoInputBoxOnItsScreen_thenEnterIsPressedAgainForTheHooksSilence() {
        PolicySpec.Verdict v = geminiDelivered(geminiInputLineChanged("gemini/unsubmitted-short-prompt"), 1, DELIVERED_MS_AGO)
                .fact(geminiStarted()).decide();

        assertThat(v.status("gemini")).isEqualTo(Status.UNKNOWN);
        assertThat(pressesFor(v, "gemini")).singleElement().satisfies(a -> {
            assertThat(a.task()).isEqualTo("arch");
            assertThat(a.reason()).isEqualTo("no BeforeAgent hook from gemini's CLI since the prompt of arch was delivered 2 s ago,"
                    + " and its screen shows no input box: the hooks' silence says it was not submitted");
        });
    }

    @Test
    void givenClaudeCodeWithNoUserPromptSubmitSinceTheDelivery_andNoInputBoxOnItsScreen_thenEnterIsPressedAgain() {
        String screen = PolicySpec.read("claude-code/unsubmitted-long-prompt").replaceAll("(?m)^❯", "≫");
        PolicySpec.Verdict v = spec().text("claude", screen, DELIVERED_MS_AGO).assigned("claude", "arch")
                .delivered("claude", "arch", 1, DELIVERED_MS_AGO, false)
                .fact(hook("claude", HookKind.TURN_ENDED, "Stop", 30_000)).decide();

        assertThat(v.status("claude")).isEqualTo(Status.UNKNOWN);
        assertThat(pressesFor(v, "claude")).singleElement()
                .satisfies(a -> assertThat(a.reason()).startsWith("no UserPromptSubmit hook from claude's CLI since the prompt of arch"));
    }

    @Test
    void givenABeforeAgentHookSinceTheDelivery_thenThePromptWasTakenAndNoEnterIsPressed() {
        PolicySpec.Verdict v = geminiDelivered(geminiInputLineChanged("gemini/idle"), 1, DELIVERED_MS_AGO)
                .fact(hook("gemini", HookKind.PROMPT_SUBMITTED, "BeforeAgent", 1_500)).decide();

        assertThat(v.status("gemini")).isEqualTo(Status.WORKING);
        assertThat(pressesFor(v, "gemini")).isEmpty();
    }

    @Test
    void givenATurnEndHookSinceTheDelivery_thenThePromptWasTakenAndNoEnterIsPressed() {
        // a turn answered between two ticks: its BeforeAgent is already followed by AfterAgent
        PolicySpec.Verdict v = geminiDelivered(geminiInputLineChanged("gemini/idle"), 1, DELIVERED_MS_AGO)
                .fact(hook("gemini", HookKind.TURN_ENDED, "AfterAgent", 500)).decide();

        assertThat(pressesFor(v, "gemini")).isEmpty();
    }

    @Test
    void givenNoHookSinceTheDelivery_butAnEmptyInputBoxTheProfileReads_thenTheScreenWinsAndNoEnterIsPressed() {
        // the prompt left the box: a hook that is late or lost says nothing against it
        PolicySpec.Verdict v = geminiDelivered(PolicySpec.read("gemini/idle"), 1, DELIVERED_MS_AGO).fact(geminiStarted()).decide();

        assertThat(v.status("gemini")).isEqualTo(Status.IDLE);
        assertThat(pressesFor(v, "gemini")).isEmpty();
    }

    @Test
    void givenNoHookSinceTheDelivery_andThePromptInAnInputBoxTheProfileReads_thenTheScreensRulePressesEnter() {
        PolicySpec.Verdict v = geminiDelivered(PolicySpec.read("gemini/unsubmitted-short-prompt"), 1, DELIVERED_MS_AGO)
                .fact(geminiStarted()).decide();

        assertThat(v.status("gemini")).isEqualTo(Status.AWAITING_SUBMIT);
        assertThat(pressesFor(v, "gemini")).singleElement()
                .satisfies(a -> assertThat(a.reason()).isEqualTo("the prompt of arch sits unsubmitted in gemini's input box"));
    }

    @Test
    void givenACliWhoseHooksWereNeverHeard_thenItsSilenceSaysNothingAndNoEnterIsPressed() {
        // Gemini CLI in a folder it does not trust runs no hooks at all
        PolicySpec.Verdict v = geminiDelivered(geminiInputLineChanged("gemini/unsubmitted-short-prompt"), 1, DELIVERED_MS_AGO).decide();

        assertThat(v.status("gemini")).isEqualTo(Status.UNKNOWN);
        assertThat(pressesFor(v, "gemini")).isEmpty();
    }

    @Test
    void givenCodex_whoseNotifyHasNoPromptSubmittedEvent_thenNoEnterIsPressedForItsSilence() {
        String screen = PolicySpec.read("codex/idle").replace("› Ask Codex", "≫ Ask Codex");
        // (Codex's screen counts as working for 2.5 s after it changed: this one is older)
        PolicySpec.Verdict v = spec().text("codex", screen, 5_000).assigned("codex", "small")
                .delivered("codex", "small", 1, 5_000, false)
                .fact(hook("codex", HookKind.TURN_ENDED, "agent-turn-complete", 60_000)).decide();

        assertThat(v.status("codex")).isEqualTo(Status.UNKNOWN);
        assertThat(pressesFor(v, "codex")).isEmpty();
    }

    @Test
    void givenEnterPressedMomentsAgo_thenTheCliIsGivenEnterRetryAfterToReportThePrompt() {
        PolicySpec.Verdict v = geminiDelivered(geminiInputLineChanged("gemini/unsubmitted-short-prompt"), 2, 300)
                .fact(geminiStarted()).decide();

        assertThat(pressesFor(v, "gemini")).isEmpty();
    }

    @Test
    void givenTheScreenSawTheAgentAtWork_thenNoEnterIsPressed() {
        PolicySpec.Verdict v = spec().text("gemini", geminiInputLineChanged("gemini/idle"), DELIVERED_MS_AGO).assigned("gemini", "arch")
                .delivered("gemini", "arch", 1, DELIVERED_MS_AGO, true).fact(geminiStarted()).decide();

        assertThat(pressesFor(v, "gemini")).isEmpty();
    }

    @Test
    void givenEnterPressedMaxEnterPressesTimesAndStillNoHook_thenNoMoreEnterButAPersonIsAlerted() {
        PolicySpec.Verdict v = geminiDelivered(geminiInputLineChanged("gemini/unsubmitted-short-prompt"), 4, DELIVERED_MS_AGO)
                .fact(geminiStarted()).decide();

        assertThat(pressesFor(v, "gemini")).isEmpty();
        assertThat(v.actions(ActionType.ALERT)).filteredOn(a -> "gemini".equals(a.agent())).singleElement()
                .satisfies(a -> assertThat(a.reason()).isEqualTo("no BeforeAgent hook from gemini's CLI for the prompt of arch"
                        + " after Enter was pressed 4 times, and its screen shows no input box"));
    }
}
