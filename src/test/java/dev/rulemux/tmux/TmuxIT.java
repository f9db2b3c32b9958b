package dev.rulemux.tmux;

import static dev.rulemux.tmux.PrivateTmux.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.rulemux.terminal.Pane;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The tmux adapter against a real tmux server on a private socket. */
class TmuxIT {

    @TempDir
    Path dir;

    private PrivateTmux server;
    private Tmux tmux;

    @BeforeEach
    void start() {
        server = PrivateTmux.start();
        tmux = server.tmux;
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void aCommandRunsDirectlyWithItsArgumentsAndEnvironmentNeverThroughAShell() throws Exception {
        Path out = dir.resolve("args.txt");
        tmux.newSession("s", "printer", dir, Map.of("GREETING", "hi there"),
                List.of("sh", "-c", "printf '%s|' \"$GREETING\" \"$@\" > args.txt", "argv0", "a b", "$(touch pwned);x", "*"), 120, 30);

        await(dev.rulemux.Eventually.GENEROUS, "the program to write its arguments", () -> Files.exists(out) && size(out) > 0);
        assertThat(Files.readString(out)).isEqualTo("hi there|a b|$(touch pwned);x|*|");
        assertThat(dir.resolve("pwned")).doesNotExist();
    }

    @Test
    void aSingleWordCommandIsNotHandedToAShellEither() {
        tmux.newSession("s", "one", dir, Map.of(), List.of("sleep;touch pwned"), 80, 24);

        await(dev.rulemux.Eventually.GENEROUS, "the pane to die", () -> tmux.panes("s").get(0).dead());
        assertThat(dir.resolve("pwned")).doesNotExist();
    }

    @Test
    void panesReportTheirWindowCommandAndDeathAndStayOnScreenWhenTheirProgramEnds() {
        String first = tmux.newSession("s", "sleeper", dir, Map.of(), List.of("sleep", "60"), 80, 24);
        String second = tmux.newWindow("s", "quick", dir, Map.of(), List.of("true"));

        await(dev.rulemux.Eventually.GENEROUS, "the quick pane to die", () -> tmux.panes("s").stream().anyMatch(Pane::dead));
        List<Pane> panes = tmux.panes("s");
        assertThat(panes).extracting(Pane::window).containsExactly("sleeper", "quick");
        assertThat(panes.get(0)).satisfies(p -> {
            assertThat(p.id()).isEqualTo(first);
            assertThat(p.dead()).isFalse();
            assertThat(p.currentCommand()).isEqualTo("sleep");
        });
        assertThat(panes.get(1).id()).isEqualTo(second);
        assertThat(panes.get(1).dead()).isTrue();
        assertThat(tmux.hasSession("s")).isTrue();
        assertThat(tmux.hasSession("t")).isFalse();
        assertThat(tmux.panes("t")).isEmpty();
    }

    @Test
    void pastedTextArrivesByteExactWhateverItHolds() throws Exception {
        Path out = dir.resolve("received.txt");
        String pane = tmux.newSession("s", "cat", dir, Map.of(), List.of("sh", "-c", "stty -echo; exec cat > received.txt"), 200, 50);
        await(dev.rulemux.Eventually.GENEROUS, "cat to start", () -> tmux.panes("s").get(0).currentCommand().equals("cat"));
        String text = "quotes ' \" and `backticks` and $(date) ; rm -rf / && echo no\n"
                + "tmux key names as words: Enter C-c Escape C-d\n\ttab-indented line ✓ é 日本語\nlast line";

        tmux.paste(pane, text);
        tmux.pressKeys(pane, List.of("Enter", "C-d"));

        await(dev.rulemux.Eventually.GENEROUS, "cat to write what it got", () -> size(out) >= text.getBytes(StandardCharsets.UTF_8).length);
        assertThat(Files.readString(out)).isEqualTo(text + "\n");
    }

    @Test
    void literalTypingTypesKeyNamesAsWords() throws Exception {
        Path out = dir.resolve("typed.txt");
        String pane = tmux.newSession("s", "cat", dir, Map.of(), List.of("sh", "-c", "stty -echo; exec cat > typed.txt"), 200, 50);
        await(dev.rulemux.Eventually.GENEROUS, "cat to start", () -> tmux.panes("s").get(0).currentCommand().equals("cat"));

        tmux.typeLiteral(pane, "Enter C-c Escape");
        tmux.pressKeys(pane, List.of("Enter", "C-d"));

        await(dev.rulemux.Eventually.GENEROUS, "cat to write what it got", () -> size(out) > 0);
        assertThat(Files.readString(out)).isEqualTo("Enter C-c Escape\n");
    }

    @Test
    void naiveSendKeysSendsTheTextAndAnEnterInOneCall() throws Exception {
        Path out = dir.resolve("naive.txt");
        String pane = tmux.newSession("s", "cat", dir, Map.of(), List.of("sh", "-c", "stty -echo; exec cat > naive.txt"), 200, 50);
        await(dev.rulemux.Eventually.GENEROUS, "cat to start", () -> tmux.panes("s").get(0).currentCommand().equals("cat"));

        SeedsKeys.sendKeysNaively(tmux, pane, "fix the typo");
        tmux.pressKeys(pane, List.of("C-d"));

        await(dev.rulemux.Eventually.GENEROUS, "cat to write what it got", () -> size(out) > 0);
        assertThat(Files.readString(out)).isEqualTo("fix the typo\n");
    }

    @Test
    void captureReturnsTheVisibleScreenAsPlainText() {
        String pane = tmux.newSession("s", "echo", dir, Map.of(), List.of("sh", "-c", "printf '\\033[1mbold\\033[0m and plain\\n'; exec sleep 60"), 80, 24);

        await(dev.rulemux.Eventually.GENEROUS, "the text to show", () -> tmux.capture(pane).contains("bold and plain"));
        assertThat(tmux.capture(pane)).doesNotContain("\u001b");
    }

    @Test
    void killingASessionEndsProgramsThatIgnoreTheHangUp() throws Exception {
        tmux.newSession("s", "stubborn", dir, Map.of(), List.of("sh", "-c", "trap '' HUP; echo $$ > pid; exec sleep 600"), 80, 24);
        Path pidFile = dir.resolve("pid");
        await(dev.rulemux.Eventually.GENEROUS, "the program to start", () -> size(pidFile) > 0);
        long pid = Long.parseLong(Files.readString(pidFile).strip());

        tmux.killSession("s");

        assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)).isFalse();
        assertThat(tmux.hasSession("s")).isFalse();
    }

    @Test
    void theServerDoesNotPassCiMarkersToTheAgents() throws Exception {
        // The test JVM may itself run under CI=true; the agents must not see it.
        Path out = dir.resolve("env.txt");
        tmux.newSession("s", "env", dir, Map.of(), List.of("sh", "-c", "env > env.txt"), 80, 24);

        await(dev.rulemux.Eventually.GENEROUS, "the environment to be written", () -> size(out) > 0);
        assertThat(Files.readAllLines(out)).noneMatch(l -> l.startsWith("CI=") || l.startsWith("GITHUB_ACTIONS="));
    }

    @Test
    void readsThroughTheControlClientMatchReadsByProcessExactly() throws Exception {
        String pane = tmux.newSession("s", "text", dir, Map.of(), List.of("sh", "-c",
                "printf 'first\\n%%end 1 2 1\\n  indented ✓ é\\n\\n\\nlast\\n'; exec sleep 60"), 120, 20);
        Tmux byProcess = new Tmux(tmux.socket(), false);
        await(dev.rulemux.Eventually.GENEROUS, "the text", () -> byProcess.capture(pane).contains("last"));

        // the first read of a session attaches the control client; later ones go through it
        assertThat(tmux.panes("s")).isEqualTo(byProcess.panes("s"));
        for (int i = 0; i < 3; i++) {
            assertThat(tmux.capture(pane)).isEqualTo(byProcess.capture(pane));
        }
        assertThat(tmux.capture(pane)).contains("%end 1 2 1\n  indented ✓ é\n");
    }

    @Test
    void oncePanesAreReadPastesAndKeysGoThroughTheControlClientByteExactWithoutAProcess() throws Exception {
        // given a pane whose program writes what it receives, and the control client opened by a read
        Path out = dir.resolve("received.txt");
        String pane = tmux.newSession("s", "cat", dir, Map.of(), List.of("sh", "-c", "stty -echo; exec cat > received.txt"), 200, 50);
        await(dev.rulemux.Eventually.GENEROUS, "cat to start", () -> tmux.panes("s").get(0).currentCommand().equals("cat"));
        StringBuilder big = new StringBuilder("-starts with a dash; \"quoted\" \\ back\\slash $HOME ~ #{pane_id} #[fg=red] {brace}\n");
        for (int i = 0; i < 400; i++) {
            big.append(i).append(": Enter C-c ; \\; '$(date)' `x` \ttab é 日本語 🎉 %end 1 1 1\n");
        }
        String text = big.append("last line").toString();
        long before = tmux.processesRun();

        // when the text is pasted, a word typed literally and keys pressed
        tmux.paste(pane, text);
        tmux.typeLiteral(pane, " -x Escape");
        tmux.pressKeys(pane, List.of("Enter", "C-d"));

        // then it all arrives exactly (the text through a buffer, never as key names), with no tmux process run
        String expected = text + " -x Escape\n";
        await(dev.rulemux.Eventually.GENEROUS, "cat to write what it got",
                () -> size(out) >= expected.getBytes(StandardCharsets.UTF_8).length);
        assertThat(Files.readString(out)).isEqualTo(expected);
        assertThat(tmux.processesRun()).isEqualTo(before);
    }

    @Test
    void anActionTmuxRefusesThroughTheControlClientIsAnErrorAndTheClientStaysInUse() {
        // given an open control client
        tmux.newSession("s", "one", dir, Map.of(), List.of("sleep", "60"), 80, 24);
        tmux.panes("s");
        long before = tmux.processesRun();

        // when keys go to a pane that does not exist, then tmux's error comes back
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> tmux.pressKeys("%999", List.of("Enter")))
                .isInstanceOf(TmuxException.class).hasMessageContaining("can't find pane");
        // and a failed paste leaves no buffer behind
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> tmux.paste("%999", "hello"))
                .isInstanceOf(TmuxException.class).hasMessageContaining("can't find pane");
        tmux.panes("s");
        assertThat(new Tmux(tmux.socket(), false).bufferNames()).noneMatch(b -> b.startsWith("rulemux-"));
        // only the buffer's clean-up and the check above ran a process
        assertThat(tmux.processesRun() - before).isEqualTo(1);
    }

    @Test
    void withoutAControlClientActionsGoByProcessAndArriveTheSame() throws Exception {
        Path out = dir.resolve("received.txt");
        String pane = tmux.newSession("s", "cat", dir, Map.of(), List.of("sh", "-c", "stty -echo; exec cat > received.txt"), 200, 50);
        Tmux byProcess = new Tmux(tmux.socket(), false);
        await(dev.rulemux.Eventually.GENEROUS, "cat to start", () -> byProcess.panes("s").get(0).currentCommand().equals("cat"));
        String text = "-dash first; $HOME \"q\" \\\nsecond ✓";

        byProcess.paste(pane, text);
        byProcess.pressKeys(pane, List.of("Enter", "C-d"));

        await(dev.rulemux.Eventually.GENEROUS, "cat to write what it got", () -> size(out) >= text.getBytes(StandardCharsets.UTF_8).length);
        assertThat(Files.readString(out)).isEqualTo(text + "\n");
    }

    @Test
    void readsFallBackToProcessesWhenTheControlClientsSessionGoes() {
        String first = tmux.newSession("s", "one", dir, Map.of(), List.of("sleep", "60"), 80, 24);
        tmux.newSession("t", "two", dir, Map.of(), List.of("sleep", "60"), 80, 24);
        assertThat(tmux.panes("s")).hasSize(1);

        tmux.killSession("s");

        assertThat(tmux.panes("s")).isEmpty();
        assertThat(tmux.panes("t")).singleElement().satisfies(p -> assertThat(p.id()).isNotEqualTo(first));
    }

    @Test
    void aPaneThatDoesNotExistIsAnErrorEitherWay() {
        tmux.newSession("s", "one", dir, Map.of(), List.of("sleep", "60"), 80, 24);
        tmux.panes("s");

        org.assertj.core.api.Assertions.assertThatThrownBy(() -> tmux.capture("%999")).isInstanceOf(TmuxException.class)
                .hasMessageContaining("can't find pane");
    }

    @Test
    void killingASessionThatDoesNotExistIsNotAnError() {
        tmux.killSession("never-made");
    }

    private static long size(Path p) {
        try {
            return Files.exists(p) ? Files.size(p) : 0;
        } catch (java.io.IOException e) {
            return 0;
        }
    }
}
