package dev.rulemux.cli;

import dev.rulemux.App;
import dev.rulemux.dashboard.WebDashboard;
import dev.rulemux.store.StateStore;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code rulemux serve [--bind ADDRESS] [--port N] [--token TOKEN]}: the read-only web dashboard. */
@Command(name = "serve", mixinStandardHelpOptions = true,
        description = {"Serve a read-only web dashboard of the state database: the agents with their last screen lines, "
                + "the task board, the events and each agent's context use, updated live. Nothing is written.",
                "It listens on 127.0.0.1 unless told otherwise; any address that is not loopback needs a token "
                        + "(RULEMUX_TOKEN, --token-file or --token), which every request must then carry (the printed address has it). Runs until interrupted (Ctrl-C)."})
public final class ServeCommand implements Callable<Integer> {

    @Mixin
    ConfigOption config;

    @Option(names = "--bind", paramLabel = "ADDRESS", defaultValue = "127.0.0.1",
            description = "The address to listen on (default ${DEFAULT-VALUE}).")
    String bind;

    @Option(names = "--port", paramLabel = "N", defaultValue = "8765",
            description = "The port (default ${DEFAULT-VALUE}; 0: any free port).")
    int port;

    @Option(names = "--token", paramLabel = "TOKEN",
            description = "A secret every request must carry, as ?token= or Authorization: Bearer; needed off loopback. "
                    + "Visible to every user in ps: prefer RULEMUX_TOKEN or --token-file.")
    String token;

    @Option(names = "--token-file", paramLabel = "FILE",
            description = "Read the token from the first line of FILE (keep it readable by you only).")
    Path tokenFile;

    /** The environment variable that may hold the token (not visible in ps, unlike --token). */
    static final String TOKEN_ENV = "RULEMUX_TOKEN";

    @Spec
    CommandSpec spec;

    private final App app;

    public ServeCommand(App app) {
        this.app = app;
    }

    @Override
    public Integer call() {
        if (port < 0 || port > 65_535) {
            throw new CommandRefused(ExitCodes.BAD_INPUT, "--port must be 0 to 65535, not " + port);
        }
        InetAddress address;
        try {
            address = InetAddress.getByName(bind);
        } catch (UnknownHostException e) {
            throw new CommandRefused(ExitCodes.BAD_INPUT, "--bind " + bind + " is not an address of this machine");
        }
        String token = token();
        try {
            WebDashboard.checkAccess(address, token);
        } catch (IllegalArgumentException e) {
            throw new CommandRefused(ExitCodes.BAD_INPUT, e.getMessage());
        }
        StateAccess access = StateAccess.of(app, spec, config);
        try (StateStore store = access.openReadOnly();
             WebDashboard web = WebDashboard.start(store, access.declaredAgents(), access.hostsOfAgents(), access.dir().toAbsolutePath().normalize().toString(),
                     app.clock(), new InetSocketAddress(address, port), token)) {
            PrintWriter out = spec.commandLine().getOut();
            out.println("rulemux dashboard on " + web.url() + " (read-only; Ctrl-C to stop)");
            out.flush();
            new CountDownLatch(1).await(); // until interrupted
        } catch (IOException e) {
            throw new CommandRefused(ExitCodes.FAILURE, "cannot listen on " + bind + ":" + port + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return ExitCodes.OK;
    }

    /**
     * The token: from --token (with a warning, since every user can read a command line), --token-file or
     * RULEMUX_TOKEN, in that order; null when none is given.
     */
    private String token() {
        if (token != null && tokenFile != null) {
            throw new CommandRefused(ExitCodes.BAD_INPUT, "give --token or --token-file, not both");
        }
        if (token != null) {
            PrintWriter err = spec.commandLine().getErr();
            err.println("warning: a --token given on the command line can be read by every user of this machine (ps); give it "
                    + "in the environment variable " + TOKEN_ENV + " or with --token-file FILE instead");
            err.flush();
            return token;
        }
        if (tokenFile != null) {
            String first;
            try (java.io.BufferedReader in = Files.newBufferedReader(tokenFile, StandardCharsets.UTF_8)) {
                first = in.readLine();
            } catch (IOException e) {
                throw new CommandRefused(ExitCodes.BAD_INPUT, "--token-file " + tokenFile + ": cannot be read (" + e.getMessage() + ")");
            }
            if (first == null || first.isBlank()) {
                throw new CommandRefused(ExitCodes.BAD_INPUT, "--token-file " + tokenFile + ": its first line is empty");
            }
            return first.strip();
        }
        return app.env(TOKEN_ENV);
    }
}
