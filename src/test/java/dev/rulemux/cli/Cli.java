package dev.rulemux.cli;

import dev.rulemux.App;
import dev.rulemux.Main;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Clock;

/** Test helper: runs one rulemux command in-process and keeps its exit code and output. */
record Cli(int exit, String out, String err) {

    static Cli run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(new App(Clock.systemUTC()), args, new PrintWriter(out, true), new PrintWriter(err, true));
        return new Cli(code, out.toString(), err.toString());
    }
}
