package dev.rulemux.sim;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rulemux.LiveScreen;
import dev.rulemux.domain.Status;
import dev.rulemux.sim.RealClis.Cli;
import dev.rulemux.sim.RealClis.Sandbox;
import dev.rulemux.tmux.PrivateTmux;
import dev.rulemux.tmux.Tmux;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Each real CLI, in tmux (the product's adapter) against the mock model server, takes a prompt delivered as a
 * bracketed paste followed by Enter, sends it to the model byte for byte, and shows the reply. Skipped when
 * tmux or the pinned CLIs (scripts/install-clis) are missing; failed instead under RULEMUX_REQUIRE_REAL_CLIS=1.
 */
@Tag("realcli")
class RealCliSmokeTest {

    /** Bounds for waits that never end, not statements of speed: a loaded machine may take many times longer. */
    private static final Duration STARTUP = Duration.ofMinutes(3);
    private static final Duration TURN = Duration.ofMinutes(2);
    /** More than each CLI's paste-burst window (Codex: 120 ms), so the Enter is not taken for part of the paste. */
    private static final Duration SUBMIT_DELAY = Duration.ofMillis(250);
    /** How long a draft may stay in the box after Enter before Enter is pressed again (rulemux's enter_retry_after). */
    private static final Duration ENTER_RETRY_AFTER = Duration.ofMillis(1500);
    /** The profile that reads each CLI's screen. */
    private static final Map<Cli, String> PROFILE = Map.of(Cli.CLAUDE, "claude-code", Cli.CODEX, "codex",
            Cli.GEMINI, "gemini", Cli.QWEN, "qwen-code", Cli.OPENCODE, "opencode");

    private RealClis clis;

    /** Per test rather than once, so that each skipped test is reported with the reason. */
    @BeforeEach
    void requireTmuxAndTheClis() {
        clis = RealCliTests.require("the real-CLI smoke test");
    }

    @ParameterizedTest
    @EnumSource(Cli.class)
    void takes_a_pasted_prompt_sends_it_unchanged_and_shows_the_reply(Cli cli, @TempDir Path temp) throws Exception {
        try (MockModelServer mock = MockModelServer.start(0); PrivateTmux server = PrivateTmux.start()) {
            // given
            Tmux tmux = server.tmux;
            Path work = Files.createDirectories(temp.resolve("work"));
            String reply = "smoke-ok-" + cli.executable();
            String prompt = "Smoke test of " + cli.executable() + ": «ünïcode», \"quotes\", $HOME and a \\ stay as typed"
                    + " [mock work=1s reply=" + reply + "]";
            try (Sandbox sandbox = clis.prepare(cli, work, mock.baseUrl(), temp)) {
                String pane = tmux.newSession("agent", cli.executable(), work, sandbox.env(), sandbox.command(), 200, 50);
                // ready for a prompt as the run loop sees it: the profile's idle screen, still
                String profile = PROFILE.get(cli);
                LiveScreen.awaitStatus(tmux, pane, profile, STARTUP, Status.IDLE);

                // when the prompt is pasted, and Enter pressed once the paste shows in the input box
                tmux.paste(pane, prompt);
                LiveScreen.awaitDraft(tmux, pane, profile, TURN);
                Thread.sleep(SUBMIT_DELAY.toMillis());
                tmux.pressKeys(pane, List.of("Enter"));
                int enters = 1 + pressEnterWhileTheDraftStays(mock, tmux, pane, profile);

                // then
                Optional<MockRequest> received = mock.await(r -> r.agentTurn() && !r.toolResult(), TURN);
                assertThat(received).as("%s sent an agent turn; requests: %s", cli, mock.requests()).isPresent();
                assertThat(received.get().prompt()).isEqualTo(prompt);
                String screen = server.awaitScreen(pane, TURN, cli + " showing the reply", s -> s.contains(reply));
                assertThat(screen).as("%s shows the reply", cli).contains(reply);
                assertThat(mock.requests()).noneMatch(r -> r.api().equals("unknown") && r.path().startsWith("POST"));
                assertThat(mock.agentTurns()).filteredOn(r -> r.prompt().equals(prompt))
                        .as("the prompt sent once, after %d Enter presses", enters).hasSize(1);
            }
        }
    }

    /**
     * As rulemux does when a CLI took the Enter for part of a paste (it may, on a loaded machine): while no agent
     * turn has come and the draft is still in the input box, presses Enter again; returns how many times.
     */
    private static int pressEnterWhileTheDraftStays(MockModelServer mock, Tmux tmux, String pane, String profile)
            throws InterruptedException {
        long end = System.nanoTime() + TURN.toNanos();
        int again = 0;
        while (System.nanoTime() - end < 0) {
            if (mock.await(r -> r.agentTurn() && !r.toolResult(), ENTER_RETRY_AFTER).isPresent()) {
                return again;
            }
            if (LiveScreen.draft(profile, tmux.capture(pane)).isEmpty()) {
                return again; // submitted: the turn is on its way
            }
            tmux.pressKeys(pane, List.of("Enter"));
            again++;
        }
        return again;
    }
}
