package dev.rulemux.ssh;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The argv of an OpenSSH client that runs one fixed program on {@code host}: never a password or a question
 * ({@code BatchMode}), the host's key checked against known_hosts ({@code StrictHostKeyChecking yes}), no agent,
 * X11 or port forwarding, no shared control socket (a stale one could hang the connection), a bound on connecting
 * and keepalives that find a dead link within {@code keepalive × 3}. The remote command is made of words that are
 * checked here to hold no shell character: the remote login shell reads it, so nothing else ever may be put there
 * (prompts travel inside the connection, never on its command line).
 *
 * @param program   the ssh client ({@code ssh})
 * @param config    an ssh client configuration to read instead of {@code ~/.ssh/config} ({@code -F}), or null
 * @param connect   how long connecting may take ({@code ConnectTimeout})
 * @param keepalive how often an idle link is probed ({@code ServerAliveInterval}); three probes unanswered end it
 */
public record SshCommand(String program, Path config, Duration connect, Duration keepalive) {

    /** The words a remote command may hold: no space, quote, glob, variable or separator a shell would read. */
    private static final Pattern SAFE_WORD = Pattern.compile("[A-Za-z0-9_@%+=:,./-]+");
    /** A host as ssh takes it, not an option. */
    private static final Pattern HOST = Pattern.compile("([A-Za-z0-9_][A-Za-z0-9._-]*@)?[A-Za-z0-9_][A-Za-z0-9._-]*");

    public SshCommand {
        Objects.requireNonNull(program, "program");
        Objects.requireNonNull(connect, "connect");
        Objects.requireNonNull(keepalive, "keepalive");
    }

    /** The defaults of a run: {@code ssh}, 10 s to connect, a probe every 5 s. */
    public static SshCommand of(Path config) {
        return new SshCommand("ssh", config, Duration.ofSeconds(10), Duration.ofSeconds(5));
    }

    /** The client's argv running {@code remote} (words checked by {@link #safe}) on {@code host}. */
    public List<String> argv(String host, List<String> remote) {
        if (!HOST.matcher(host).matches()) {
            throw new IllegalArgumentException("not a host ssh can be given safely: \"" + host + "\"");
        }
        List<String> argv = new ArrayList<>(List.of(program, "-T", "-x", "-a"));
        if (config != null) {
            argv.addAll(List.of("-F", config.toString()));
        }
        for (String option : List.of("BatchMode=yes", "StrictHostKeyChecking=yes", "PasswordAuthentication=no",
                "KbdInteractiveAuthentication=no", "ForwardAgent=no", "ForwardX11=no", "ClearAllForwardings=yes",
                "ControlMaster=no", "ControlPath=none", "ConnectTimeout=" + Math.max(1, connect.toSeconds()),
                "ServerAliveInterval=" + Math.max(1, keepalive.toSeconds()), "ServerAliveCountMax=3",
                "ConnectionAttempts=1", "LogLevel=ERROR")) {
            argv.add("-o");
            argv.add(option);
        }
        argv.add(host);
        for (String word : remote) {
            argv.add(safe(word));
        }
        return argv;
    }

    /** {@code word} when no shell would read anything into it; else an {@link IllegalArgumentException}. */
    public static String safe(String word) {
        if (!SAFE_WORD.matcher(word).matches()) {
            throw new IllegalArgumentException("not a word a remote shell can be given safely: \"" + word + "\"");
        }
        return word;
    }
}
