package dev.rulemux.cli;

import dev.rulemux.App;
import dev.rulemux.Main;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Clock;
import java.util.Map;

/** Test helper: runs one rulemux command in-process and keeps its exit code and output. */
record Cli(int exit, String out, String err) {

    static Cli run(String... args) {
        return run(new App(Clock.systemUTC()), args);
    }

    /** As run from the shell of agent {@code agent} ({@code RULEMUX_AGENT} set). */
    static Cli runAs(String agent, String... args) {
        return run(new App(Clock.systemUTC(), Map.of("RULEMUX_AGENT", agent)), args);
    }

    static Cli run(App app, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(app, args, new PrintWriter(out, true), new PrintWriter(err, true));
        return new Cli(code, out.toString(), err.toString());
    }
}
