package dev.rulemux.sim;

import static org.assertj.core.api.Assertions.assertThat;

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

    private static final Duration STARTUP = Duration.ofSeconds(40);
    private static final Duration TURN = Duration.ofSeconds(30);
    /** More than each CLI's paste-burst window (Codex: 120 ms), so the Enter is not taken for part of the paste. */
    private static final Duration SUBMIT_DELAY = Duration.ofMillis(250);
    /** Text each CLI shows in its empty input box when it is ready for a prompt. */
    private static final Map<Cli, String> READY = Map.of(
            Cli.CLAUDE, "? for shortcuts",
            Cli.CODEX, "Ask Codex to do anything",
            Cli.GEMINI, "Type your message");

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
                String ready = server.awaitScreen(pane, STARTUP, cli + " ready for a prompt",
                        screen -> screen.contains(READY.get(cli)));
                assertThat(ready).contains(READY.get(cli));

                // when
                tmux.paste(pane, prompt);
                Thread.sleep(SUBMIT_DELAY.toMillis());
                tmux.pressKeys(pane, List.of("Enter"));

                // then
                Optional<MockRequest> received = mock.await(r -> r.agentTurn() && !r.toolResult(), TURN);
                assertThat(received).as("%s sent an agent turn; requests: %s", cli, mock.requests()).isPresent();
                assertThat(received.get().prompt()).isEqualTo(prompt);
                String screen = server.awaitScreen(pane, TURN, cli + " showing the reply", s -> s.contains(reply));
                assertThat(screen).as("%s shows the reply", cli).contains(reply);
                assertThat(mock.requests()).noneMatch(r -> r.api().equals("unknown") && r.path().startsWith("POST"));
            }
        }
    }
}
