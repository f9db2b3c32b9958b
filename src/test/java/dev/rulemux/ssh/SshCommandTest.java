package dev.rulemux.ssh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The argv of the one ssh connection per host: what it allows, what it refuses to be given. */
class SshCommandTest {

    private final SshCommand ssh = SshCommand.of(Path.of("/etc/rulemux/ssh_config"));

    @Test
    void givenAHostAndAFixedRemoteCommand_thenTheClientAsksNothing_checksTheHostKey_forwardsNothing_andBoundsEveryWait() {
        List<String> argv = ssh.argv("dev@gpu-box", List.of("tmux", "-L", "rulemux", "-C", "new-session"));

        assertThat(argv.subList(0, 6)).containsExactly("ssh", "-T", "-x", "-a", "-F", "/etc/rulemux/ssh_config");
        assertThat(argv).contains("BatchMode=yes", "StrictHostKeyChecking=yes", "PasswordAuthentication=no",
                "KbdInteractiveAuthentication=no", "ForwardAgent=no", "ForwardX11=no", "ClearAllForwardings=yes",
                "ControlMaster=no", "ControlPath=none", "ConnectTimeout=10", "ServerAliveInterval=5", "ServerAliveCountMax=3");
        assertThat(argv.subList(argv.indexOf("dev@gpu-box"), argv.size()))
                .containsExactly("dev@gpu-box", "tmux", "-L", "rulemux", "-C", "new-session");
    }

    @Test
    void givenAHostSshWouldReadAsAnOption_thenNoArgvIsMade() {
        assertThatThrownBy(() -> ssh.argv("-oProxyCommand=touch /tmp/x", List.of("tmux")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not a host");
    }

    @Test
    void givenARemoteWordAShellWouldReadSomethingInto_thenNoArgvIsMade() {
        for (String word : List.of("a b", "$(id)", "`id`", "a;b", "a|b", "'a'", "\"a\"", "a\nb", "~", "*", "a&b", "")) {
            assertThatThrownBy(() -> ssh.argv("box", List.of("tmux", word))).as(word)
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not a word a remote shell can be given safely");
        }
    }
}
