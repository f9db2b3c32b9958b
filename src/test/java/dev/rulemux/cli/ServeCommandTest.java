package dev.rulemux.cli;

import static dev.rulemux.ConfigDirs.TWO_SHELLS;
import static dev.rulemux.ConfigDirs.write;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rulemux.App;
import dev.rulemux.Main;
import dev.rulemux.store.StateStore;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** rulemux serve, as a command: its options, its refusals, and a run until interrupted. */
class ServeCommandTest {

    @TempDir
    Path dir;

    String config;

    @BeforeEach
    void aConfigDirectory() {
        write(dir, "agents.yaml", TWO_SHELLS); // alpha, beta
        config = dir.toString();
    }

    @Test
    void anAddressOffLoopbackWithoutATokenIsRefusedBeforeAnythingIsOpened() {
        Cli r = Cli.run("serve", "--config", config, "--bind", "0.0.0.0", "--port", "0");

        assertThat(r.exit()).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(r.err()).isEqualTo("error: 0.0.0.0 is not a loopback address: serving the dashboard there needs --token "
                + "TOKEN, which every request must then carry (or bind 127.0.0.1)\n");
        assertThat(dir.resolve(StateStore.FILE)).doesNotExist();
    }

    @Test
    void badOptionsAreRefused() {
        assertThat(Cli.run("serve", "--config", config, "--port", "70000").err()).contains("--port must be 0 to 65535");
        assertThat(Cli.run("serve", "--config", config, "--token", " ").exit()).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(Cli.run("serve", "--config", dir.resolve("nowhere").toString(), "--port", "0").err())
                .contains("is not a rulemux config directory");
    }

    @Test
    void servesTheDeclaredAgentsUntilInterrupted() throws Exception {
        StateStore.open(dir).close();
        String before = digest(dir.resolve(StateStore.FILE));
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CompletableFuture<Integer> exit = new CompletableFuture<>();
        Thread serve = new Thread(() -> exit.complete(Main.run(new App(Clock.systemUTC()),
                new String[] {"serve", "--config", config, "--port", "0", "--token", "t0k"}, new PrintWriter(out, true),
                new PrintWriter(err, true))));
        serve.start();
        try {
            Matcher printed = Pattern.compile("^rulemux dashboard on (http://127\\.0\\.0\\.1:\\d+/\\?token=t0k) \\(read-only; Ctrl-C to stop\\)\n$")
                    .matcher("");
            long deadline = System.nanoTime() + dev.rulemux.Eventually.GENEROUS.toNanos();
            while (!printed.reset(out.toString()).matches() && System.nanoTime() - deadline < 0) {
                assertThat(exit).as(err.toString()).isNotDone();
                Thread.sleep(20);
            }
            assertThat(out.toString()).as(err.toString()).matches(printed.pattern());
            URI url = URI.create(printed.group(1));

            HttpResponse<String> state = HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(url.resolve("/api/state?" + url.getRawQuery())).build(), HttpResponse.BodyHandlers.ofString());

            assertThat(state.statusCode()).isEqualTo(200);
            assertThat(new ObjectMapper().readTree(state.body()).get("agents").findValuesAsText("name")).containsExactly("alpha", "beta");
            assertThat(new ObjectMapper().readTree(state.body()).get("config").asText()).isEqualTo(dir.toAbsolutePath().normalize().toString());
        } finally {
            serve.interrupt();
        }
        assertThat(exit.get(dev.rulemux.Eventually.GENEROUS.toSeconds(), TimeUnit.SECONDS)).isZero();
        assertThat(digest(dir.resolve(StateStore.FILE))).as("the state, read only").isEqualTo(before);
    }

    private static String digest(Path file) throws Exception {
        return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
    }

    /** A running serve: its output, and how to end it. */
    record Serving(StringWriter out, StringWriter err, Thread thread, CompletableFuture<Integer> exit) {
        String url() throws Exception {
            Matcher printed = Pattern.compile("^rulemux dashboard on (\\S+) \\(read-only; Ctrl-C to stop\\)\n$").matcher("");
            long deadline = System.nanoTime() + dev.rulemux.Eventually.GENEROUS.toNanos();
            while (!printed.reset(out.toString()).matches() && System.nanoTime() - deadline < 0 && !exit.isDone()) {
                Thread.sleep(20);
            }
            assertThat(out.toString()).as(err.toString()).matches(printed.pattern());
            return printed.group(1);
        }

        int stop() throws Exception {
            thread.interrupt();
            return exit.get(dev.rulemux.Eventually.GENEROUS.toSeconds(), TimeUnit.SECONDS);
        }
    }

    static Serving serve(App app, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CompletableFuture<Integer> exit = new CompletableFuture<>();
        Thread thread = new Thread(() -> exit.complete(Main.run(app, args, new PrintWriter(out, true), new PrintWriter(err, true))));
        thread.start();
        return new Serving(out, err, thread, exit);
    }

    @Test
    void givenATokenOnTheCommandLineWhenServingThenAWarningSaysOthersCanReadItAndNamesTheSaferWays() throws Exception {
        StateStore.open(dir).close();

        Serving s = serve(new App(Clock.systemUTC()), "serve", "--config", config, "--port", "0", "--token", "t0k");
        String url = s.url();

        assertThat(url).endsWith("?token=t0k");
        assertThat(s.err().toString()).isEqualTo("warning: a --token given on the command line can be read by every user of "
                + "this machine (ps); give it in the environment variable RULEMUX_TOKEN or with --token-file FILE instead\n");
        assertThat(s.stop()).isZero();
    }

    @Test
    void givenATokenInRulemuxTokenWhenServingThenEveryRequestMustCarryItAndNothingIsWarned() throws Exception {
        StateStore.open(dir).close();

        Serving s = serve(new App(Clock.systemUTC(), java.util.Map.of("RULEMUX_TOKEN", "from-env")), "serve", "--config", config,
                "--port", "0");
        String url = s.url();

        assertThat(url).endsWith("?token=from-env");
        HttpResponse<String> without = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create(url).resolve("/api/state")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(without.statusCode()).isEqualTo(401);
        assertThat(s.err().toString()).isEmpty();
        assertThat(s.stop()).isZero();
    }

    @Test
    void givenATokenFileWhenServingThenItsFirstLineIsTheToken() throws Exception {
        StateStore.open(dir).close();
        Path file = write(dir, "token", "from-file\n");

        Serving s = serve(new App(Clock.systemUTC()), "serve", "--config", config, "--port", "0", "--token-file", file.toString());

        assertThat(s.url()).endsWith("?token=from-file");
        assertThat(s.err().toString()).isEmpty();
        assertThat(s.stop()).isZero();
        assertThat(Cli.run("serve", "--config", config, "--port", "0", "--token-file", dir.resolve("missing").toString()).err())
                .startsWith("error: --token-file " + dir.resolve("missing") + ": cannot be read");
    }
}
