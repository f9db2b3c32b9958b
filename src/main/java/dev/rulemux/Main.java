package dev.rulemux;

import dev.rulemux.cli.ExitCodes;
import dev.rulemux.cli.RulemuxCommand;
import dev.rulemux.config.ConfigException;
import dev.rulemux.rules.PolicyFailure;
import dev.rulemux.rules.RuleCompileException;
import dev.rulemux.text.TerminalText;
import java.io.FileOutputStream;
import java.io.FileDescriptor;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.lang.reflect.Constructor;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import picocli.CommandLine;

/** The composition root: builds the {@link App} and the command line, runs one command, exits with its code. */
public final class Main {

    private Main() {
    }

    public static void main(String[] args) {
        PrintWriter out = new PrintWriter(new OutputStreamWriter(new FileOutputStream(FileDescriptor.out), StandardCharsets.UTF_8), true);
        PrintWriter err = new PrintWriter(new OutputStreamWriter(new FileOutputStream(FileDescriptor.err), StandardCharsets.UTF_8), true);
        int code = run(new App(Clock.systemUTC()), args, out, err);
        out.flush();
        err.flush();
        System.exit(code);
    }

    /** Runs one command in-process and returns its exit code (the tests' entry point). */
    public static int run(App app, String[] args, PrintWriter out, PrintWriter err) {
        CommandLine cli = commandLine(app, args);
        cli.setOut(out);
        cli.setErr(err);
        return cli.execute(args);
    }

    /** The command line with every subcommand (what {@code rulemux --help} lists). */
    static CommandLine commandLine(App app) {
        return commandLine(app, new String[0]);
    }

    /**
     * The command line for {@code args}: when they start with a subcommand's name, only that subcommand is
     * added (picocli reflects over each one it is given, a tenth of a second of a cold start for all of them);
     * otherwise (help, a version, an unknown name) all of them, so the usage and the suggestions are complete.
     */
    static CommandLine commandLine(App app, String[] args) {
        Factory factory = new Factory(app);
        CommandLine cli = new CommandLine(new RulemuxCommand(), factory);
        Class<?> named = args.length == 0 ? null : RulemuxCommand.subcommandNamed(args[0]);
        for (Class<?> type : named == null ? RulemuxCommand.SUBCOMMANDS : java.util.List.<Class<?>>of(named)) {
            cli.addSubcommand(new CommandLine(type, factory));
        }
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            PrintWriter err = commandLine.getErr();
            if (e instanceof ConfigException c) {
                c.problems().forEach(p -> err.println("error: " + TerminalText.safe(String.valueOf(p))));
                err.flush();
                return ExitCodes.BAD_INPUT;
            }
            if (e instanceof RuleCompileException r) {
                r.errors().forEach(x -> err.println("error: " + TerminalText.safe(String.valueOf(x))));
                err.flush();
                return ExitCodes.BAD_INPUT;
            }
            if (e instanceof dev.rulemux.store.StoreException s) {
                err.println("error: " + TerminalText.safe(s.getMessage()));
                err.flush();
                return ExitCodes.FAILURE;
            }
            if (e instanceof dev.rulemux.cli.CommandRefused r) {
                err.println("error: " + TerminalText.safe(r.getMessage()));
                err.flush();
                return r.exitCode();
            }
            if (e instanceof PolicyFailure p) {
                err.println("error: " + TerminalText.safe(p.getMessage()));
                err.flush();
                return ExitCodes.FAILURE;
            }
            err.println("error: " + TerminalText.safe(e.getMessage() == null ? e.toString() : e.getMessage()));
            if (System.getenv("RULEMUX_DEBUG") != null) {
                e.printStackTrace(err);
            }
            err.flush();
            return ExitCodes.FAILURE;
        });
        return cli;
    }

    /** Builds commands, handing {@link App} to those whose constructor takes it. */
    private static final class Factory implements CommandLine.IFactory {

        private final App app;

        Factory(App app) {
            this.app = app;
        }

        @Override
        public <K> K create(Class<K> type) throws Exception {
            try {
                Constructor<K> withApp = type.getDeclaredConstructor(App.class);
                return withApp.newInstance(app);
            } catch (NoSuchMethodException e) {
                return CommandLine.defaultFactory().create(type);
            }
        }
    }
}
