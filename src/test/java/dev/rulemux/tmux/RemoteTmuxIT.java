package dev.rulemux.tmux;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rulemux.Eventually;
import dev.rulemux.ssh.SshCommand;
import dev.rulemux.ssh.SshHosts;
import dev.rulemux.terminal.Link;
import dev.rulemux.terminal.Pane;
import dev.rulemux.terminal.TerminalException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A tmux server on another host, through one ssh connection to a real sshd on 127.0.0.1. */
class RemoteTmuxIT {

    /** Text no shell, tmux parser or terminal may read anything into. */
    static final String HOSTILE = "it's \"quoted\" and 'single' $(touch /tmp/rulemux-pwned) `id` ${HOME} $HOME ; rm -rf ~ "
            + "&& echo x | tee y > z\n#{pane_id} #(date) \\ \\\\n \\\" C-c Enter Escape ^C ~. \t tab\n"
            + "\u001b[31mred\u001b[0m \u0007bell \u0000nul \u009bcsi \r\nnaïve — 日本語 😀 \u202Eevil\n-t -- last\\";

    @TempDir
    Path dir;

    private static RemoteTmux remote(SshHosts hosts, String host, String socket) {
        return new RemoteTmux(host, socket, SshCommand.of(hosts.sshConfig()), Clock.systemUTC());
    }

    private static String socket() {
        return "rulemux-test-" + UUID.randomUUID().toString().substring(0, 8);
    }

    private static void awaitCommand(dev.rulemux.terminal.Terminal t, String session, String command) {
        Eventually.until("the pane to run " + command, () -> t.panes(session).stream().allMatch(p -> p.currentCommand().equals(command)));
    }

    @Test
    void givenAHostileText_whenPastedIntoAPaneOnAnotherHost_thenItArrivesByteForByteAsTheSameLocalPasteDoes() throws Exception {
        String socket = socket();
        try (SshHosts hosts = SshHosts.start(dir.resolve("ssh"), "alpha");
             RemoteTmux remote = remote(hosts, "alpha", socket);
             PrivateTmux local = PrivateTmux.start()) {
            hosts.tmuxSocket(socket);
            // a raw terminal and cat: every byte the paste delivers lands in the file as it is
            List<String> rawCat = List.of("sh", "-c", "stty raw -echo; exec cat > pasted.out");
            Path there = Files.createDirectories(hosts.home("alpha").resolve("work"));
            Path here = Files.createDirectories(dir.resolve("local"));
            String remotePane = remote.newSession("hostile", "w", there, Map.of(), rawCat, 80, 24);
            String localPane = local.tmux.newSession("hostile", "w", here, Map.of(), rawCat, 80, 24);
            awaitCommand(remote, "hostile", "cat");
            awaitCommand(local.tmux, "hostile", "cat");

            // when: the same text is pasted on both
            remote.paste(remotePane, HOSTILE);
            local.tmux.paste(localPane, HOSTILE);

            // then: both files hold the cleaned text (tmux's paste turns each LF into CR), byte for byte
            byte[] expected = PasteText.clean(HOSTILE).replace('\n', '\r').getBytes(StandardCharsets.UTF_8);
            Path remoteOut = there.resolve("pasted.out");
            Path localOut = here.resolve("pasted.out");
            Eventually.until("the remote paste to arrive", () -> Files.exists(remoteOut) && Files.size(remoteOut) >= expected.length);
            Eventually.until("the local paste to arrive", () -> Files.exists(localOut) && Files.size(localOut) >= expected.length);
            assertThat(Files.readAllBytes(remoteOut)).isEqualTo(expected).isEqualTo(Files.readAllBytes(localOut));
            assertThat(new String(expected, StandardCharsets.UTF_8)).contains("$(touch /tmp/rulemux-pwned)", "日本語 😀", "C-c Enter")
                    .doesNotContain("\u001b", "\u0000", "\u0007");
            assertThat(Path.of("/tmp/rulemux-pwned")).doesNotExist();
            assertThat(remote.linkArgv()).as("the remote command line holds nothing of the text")
                    .noneMatch(w -> w.contains("quoted") || w.contains("$"));
            assertThat(remote.links()).extracting(Link::connections).containsExactly(1L);
        }
    }

    @Test
    void givenALinkCut_thenCallsFailSayingTheHostIsDown_andTheLinkComesBackByItself_andThePaneAndItsScreenLiveOn() throws Exception {
        String socket = socket();
        try (SshHosts hosts = SshHosts.start(dir.resolve("ssh"), "alpha");
             RemoteTmux remote = remote(hosts, "alpha", socket)) {
            hosts.tmuxSocket(socket);
            String pane = remote.newSession("cut", "w", hosts.home("alpha"), Map.of(), List.of("cat"), 80, 24);
            awaitCommand(remote, "cut", "cat");
            remote.paste(pane, "typed before the cut");
            Eventually.until("the text on screen", () -> remote.capture(pane).contains("typed before the cut"));
            assertThat(hosts.connections("alpha")).hasSize(1);

            // when: the connection is cut on the host's side (its sshd process killed)
            hosts.cut("alpha");

            // then: calls fail at once saying the host is down, and the link says why
            Eventually.until("a call to fail for the host being down", () -> {
                try {
                    remote.panes("cut");
                    return false;
                } catch (TerminalException e) {
                    return e.getMessage().startsWith("host alpha is down");
                }
            });
            assertThat(remote.links()).singleElement().satisfies(l -> {
                assertThat(l.up()).isFalse();
                assertThat(l.problem()).isNotBlank();
            });
            assertThatThrownBy(() -> remote.capture(pane)).isInstanceOf(TerminalException.class).hasMessageStartingWith("host alpha");

            // and then: the link is opened again by itself, and the pane, its program and its screen are as they were
            List<Pane> panes = Eventually.await("the link back", () -> {
                try {
                    return remote.panes("cut");
                } catch (TerminalException e) {
                    return List.<Pane>of();
                }
            }, p -> !p.isEmpty());
            assertThat(panes).singleElement().satisfies(p -> {
                assertThat(p.id()).isEqualTo(pane);
                assertThat(p.currentCommand()).isEqualTo("cat");
            });
            assertThat(remote.capture(pane)).contains("typed before the cut");
            assertThat(remote.links()).singleElement().satisfies(l -> {
                assertThat(l.up()).isTrue();
                assertThat(l.connections()).isEqualTo(2);
                assertThat(l.version()).startsWith("tmux ");
            });
            remote.paste(pane, " and after");
            Eventually.until("the text typed after", () -> remote.capture(pane).contains("typed before the cut and after"));
        }
    }

    @Test
    void givenAHostWhoseKeyIsNotKnown_thenTheLinkIsRefused_andTheCallsSaySo() throws Exception {
        String socket = socket();
        try (SshHosts hosts = SshHosts.start(dir.resolve("ssh"), "alpha")) {
            hosts.tmuxSocket(socket);
            Files.writeString(dir.resolve("ssh").resolve("known_hosts"), "");
            try (RemoteTmux remote = remote(hosts, "alpha", socket)) {
                assertThat(remote.connect()).isFalse();
                assertThat(remote.links()).singleElement().satisfies(l -> {
                    assertThat(l.up()).isFalse();
                    assertThat(l.problem()).contains("Host key verification failed");
                });
                assertThatThrownBy(() -> remote.panes("any")).isInstanceOf(TerminalException.class)
                        .hasMessageContaining("host alpha is down");
            }
        }
    }
}
