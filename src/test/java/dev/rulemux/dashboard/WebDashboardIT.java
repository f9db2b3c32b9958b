package dev.rulemux.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.rulemux.board.Journal;
import dev.rulemux.domain.Status;
import dev.rulemux.domain.TaskState;
import dev.rulemux.store.StateStore;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The dashboard in headless Chromium: what a person sees, rendered by the page's script from the live state. */
class WebDashboardIT {

    @TempDir
    Path dir;

    @TempDir
    Path work;

    WebDashboard serve(StateStore store, String token) throws IOException {
        return WebDashboard.start(store, Teams.DECLARED, dir.toString(), Clock.systemUTC(),
                new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), token);
    }

    @Test
    void thePageShowsTheTeamFromTheLiveStateWithScreenLinesAsTextAndFollowsItsChanges() throws Exception {
        long now = System.currentTimeMillis();
        try (StateStore store = StateStore.open(dir); Chromium browser = Chromium.start(work)) {
            Teams.aTeam(store, now);
            try (WebDashboard web = serve(store, "tok")) {

                browser.open(web.url(), 1280, 900).await("document.querySelector('[data-agent=builder]')");
                String dom = browser.dom();

                assertThat(dom).contains("<span id=\"live\" class=\"badge on\">live</span>", "done 1/3",
                        "<span id=\"connection\" class=\"badge on\">connected</span>");
                assertThat(dom).contains("data-agent=\"architect\"", "data-agent=\"builder\"", "data-agent=\"tester\"",
                        "<span class=\"status s-WORKING\">WORKING</span>", "<span class=\"status s-IDLE\">IDLE</span>",
                        "<span class=\"status s-UNKNOWN\">UNKNOWN</span>", "task routes · since", "42%");
                assertThat(dom).as("the screen lines, as text").contains("» [rulemux task routes] HTTP routes",
                        "&lt;script&gt;document.body.dataset.pwned = 'script'&lt;/script&gt;",
                        "&lt;img src=x onerror=\"document.body.dataset.pwned = 'img'\"&gt;");
                assertThat(browser.evaluate("document.body.dataset.pwned === undefined && document.querySelectorAll('script, img').length")
                        .asInt()).as("nothing of a screen ran or became an element: only the page's own script").isEqualTo(1);
                assertThat(dom).contains("data-task=\"design-api\"", "Design the orders API", "data-task=\"docs\"",
                        "in progress · builder · attempts 1/3", "completed · (architect) · attempts 1/3",
                        "declared routes (tasks.yaml)", "<polyline");

                // when the loop records a change, the page shows it without a reload
                store.agent(new Journal.AgentState("builder", Status.IDLE, "its input box is empty", null, 57, now,
                        System.currentTimeMillis(), List.of("✓ routes done", "> ")));
                store.move("routes", TaskState.COMPLETED, null, "builder reported it done");
                store.event(Journal.Kind.TRANSITION, "builder", "routes", "routes IN_PROGRESS -> COMPLETED: builder reported it done");

                browser.await("document.querySelector('[data-agent=builder] .status').textContent === 'IDLE'"
                        + " && document.getElementById('done').textContent === 'done 2/3'");
                assertThat(browser.dom()).contains("✓ routes done", "routes IN_PROGRESS -&gt; COMPLETED");
                assertThat(browser.errors()).as("no script error, CSP violation or failed load").isEmpty();
            }
        }
    }

    @Test
    void aScreenshotIsAPng() throws Exception {
        try (StateStore store = StateStore.open(dir); Chromium browser = Chromium.start(work)) {
            Teams.aTeam(store, System.currentTimeMillis());
            try (WebDashboard web = serve(store, null)) {

                byte[] png = browser.open(web.url(), 1280, 900).await("document.querySelector('[data-agent=builder]')").screenshot();

                assertThat(png).startsWith(0x89, 'P', 'N', 'G').hasSizeGreaterThan(20_000);
            }
        }
    }

    /**
     * {@code docs/dashboard.png}, the README's picture, when asked for with {@code -Drulemux.screenshot=FILE} (see
     * {@code scripts/screenshot-dashboard}): three agents showing screens recorded from the real CLIs, the demo's tasks
     * part done, and 20 minutes of context readings.
     */
    @Test
    void theReadmeScreenshot() throws Exception {
        String file = System.getProperty("rulemux.screenshot");
        assumeTrue(file != null && !file.isBlank(), "-Drulemux.screenshot=FILE writes the README's screenshot");
        long now = System.currentTimeMillis();
        try (StateStore store = StateStore.open(dir); Chromium browser = Chromium.start(work)) {
            Demo.tasks(store, now);
            try (WebDashboard web = WebDashboard.start(store, List.of("architect", "builder", "tester"), "/home/dev/orders-service",
                    Clock.systemUTC(), new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), null, 20, 15_000)) {
                for (int i = 40; i >= 0; i--) { // a reading every 30 s, each seen by a poll
                    Demo.agents(store, now, now - i * 30_000L, 40 - i);
                    Thread.sleep(60);
                }
                byte[] png = browser.open(web.url(), 1280, 1150).await("document.querySelectorAll('polyline').length === 3")
                        .screenshot();
                Files.write(Path.of(file), png);
                assertThat(browser.errors()).isEmpty();
            }
        }
    }

    /** The README's team: the demo's tasks, agents on recorded screens of Claude Code, Codex and Gemini CLI. */
    private static final class Demo {

        static void tasks(StateStore store, long now) {
            store.declare(List.of(Teams.task("design-api", "Design the orders API"), Teams.task("data-model", "Order and OrderLine types"),
                    Teams.task("lint-setup", "Set up the linter"), Teams.task("routes", "HTTP routes"),
                    Teams.task("unit-tests", "Unit tests for the types"), Teams.task("fixtures", "Sample data"),
                    Teams.task("error-shape", "Error responses"), Teams.task("review", "Review routes and tests"),
                    Teams.task("docs", "README for the service")));
            done(store, "design-api", "architect", now - 1_100_000);
            done(store, "lint-setup", "tester", now - 1_000_000);
            done(store, "data-model", "builder", now - 700_000);
            done(store, "fixtures", "tester", now - 500_000);
            store.delivered("unit-tests", "tester", now - 400_000, null);
            store.move("unit-tests", TaskState.IN_PROGRESS, null, "tester is at work on it");
            store.move("unit-tests", TaskState.BLOCKED, null, "reported blocked by tester: OrderLine has no validation rules yet");
            store.event(Journal.Kind.ALERT, "tester", "unit-tests", "tester reports unit-tests blocked: OrderLine has no validation "
                    + "rules yet");
            store.delivered("error-shape", "architect", now - 240_000, null);
            store.move("error-shape", TaskState.IN_PROGRESS, null, "architect is at work on it");
            store.event(Journal.Kind.DISPATCH, "architect", "error-shape", "sent error-shape to architect (212 chars): architect is "
                    + "idle with nothing in flight, and error-shape is the most urgent ready high task (priority medium)");
            store.delivered("routes", "builder", now - 180_000, null);
            store.move("routes", TaskState.IN_PROGRESS, null, "builder is at work on it");
            store.event(Journal.Kind.DISPATCH, "builder", "routes", "sent routes to builder (256 chars): builder is idle with "
                    + "nothing in flight, and routes is the most urgent ready medium task (priority medium)");
            store.event(Journal.Kind.STATUS, "builder", "routes", "builder WORKING -> AWAITING_APPROVAL: an approval dialog is up: "
                    + "Would you like to run the following command?");
        }

        private static void done(StateStore store, String task, String agent, long at) {
            store.delivered(task, agent, at, null);
            store.event(Journal.Kind.DISPATCH, agent, task, "sent " + task + " to " + agent + ": " + agent + " is idle with nothing "
                    + "in flight, and " + task + " is the most urgent ready task of its tier");
            store.move(task, TaskState.IN_PROGRESS, null, agent + " is at work on it");
            store.event(Journal.Kind.TRANSITION, agent, task, task + " ASSIGNED -> IN_PROGRESS: " + agent + " is at work on it");
            store.event(Journal.Kind.REPORT, agent, task, agent + " reports " + task + " done: done, tests pass");
            store.move(task, TaskState.COMPLETED, null, agent + " reported it done");
            store.event(Journal.Kind.TRANSITION, agent, task, task + " IN_PROGRESS -> COMPLETED: " + agent + " reported it done");
        }

        /** The agents as recorded at {@code at}, reading {@code step} (0 to 40) of their context ramps. */
        static void agents(StateStore store, long now, long at, int step) throws IOException {
            store.agent(new Journal.AgentState("architect", Status.WORKING, "a working marker: * Harmonizing…", "error-shape",
                    18 + step, now - 240_000, at, screen("claude-code/working.txt")));
            store.agent(new Journal.AgentState("builder", Status.AWAITING_APPROVAL, "an approval dialog is up", "routes",
                    10 + step * 3 / 4, now - 20_000, at, screen("codex/approval.txt")));
            store.agent(new Journal.AgentState("tester", Status.IDLE, "its input box is empty", null,
                    step < 25 ? step : 25 - (step - 25) / 2, now - 400_000, at, screen("gemini/idle.txt")));
        }

        /** The last 12 lines of a recorded screen, as the loop keeps them. */
        static List<String> screen(String name) throws IOException {
            try (InputStream in = WebDashboardIT.class.getResourceAsStream("/screens/" + name)) {
                List<String> lines = new ArrayList<>(new String(in.readAllBytes(), StandardCharsets.UTF_8).lines()
                        .map(String::stripTrailing).toList());
                while (!lines.isEmpty() && lines.get(lines.size() - 1).isEmpty()) {
                    lines.remove(lines.size() - 1);
                }
                return List.copyOf(lines.subList(Math.max(0, lines.size() - 12), lines.size()));
            }
        }
    }
}
