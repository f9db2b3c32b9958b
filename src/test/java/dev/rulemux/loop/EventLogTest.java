package dev.rulemux.loop;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rulemux.text.TerminalText;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The run console and the logs of a run: what agents wrote reaches neither raw. */
class EventLogTest {

    /** An OSC 52 clipboard write, a screen clear and a cursor move, an 8-bit CSI, a bidi override, a line break. */
    static final String HOSTILE = "pwn \u001b]52;c;cm0gLXJmIH4=\u0007\u001b[2J\u001b[H\u001b[5A \u009b31m \u202eexe.txt\nline two\r";

    @TempDir
    Path dir;

    static boolean hasRawControl(String s) {
        return s.codePoints().anyMatch(cp -> cp != '\n' && TerminalText.unsafe(cp));
    }

    /** Every kind of line a run writes, each carrying {@code text} as an agent's title or note would. */
    static void everyKindOfLine(EventLog log, String text) {
        log.decision("decided " + text);
        log.action("alpha", "t1", "sent t1 (" + text + ")");
        log.transition("alpha", "t1", "t1 PENDING -> BLOCKED: " + text);
        log.alert("alpha", "t1", "alpha reports t1 blocked: " + text);
        log.report("alpha", "t1", "alpha reports t1 done: " + text);
        log.status("alpha", "IDLE", "WORKING", text);
        log.dispatch("alpha", "t1", "t1 to alpha: " + text);
        log.note("note " + text);
        log.warn("warn " + text);
    }

    @Test
    void givenAgentTextWithEscapesWhenTheRunReportsItThenTheConsoleAndEveryLogShowThemAsVisibleEscapes() throws Exception {
        StringWriter console = new StringWriter();
        try (EventLog log = new EventLog(dir, new PrintWriter(console, true), false, Clock.systemUTC())) {
            everyKindOfLine(log, HOSTILE);
            log.progress("progress " + HOSTILE, "k");
        }

        assertThat(hasRawControl(console.toString())).as(console.toString()).isFalse();
        assertThat(console.toString()).contains("alpha reports t1 done: pwn \\x1b]52;c;cm0gLXJmIH4=\\x07\\x1b[2J\\x1b[H\\x1b[5A "
                + "\\u009b31m \\u202eexe.txt\\nline two\\r");
        assertThat(console.toString().lines()).hasSize(9);
        for (String name : new String[] {"orchestration.log", "monitor.log", "dispatch.log"}) {
            String log = Files.readString(dir.resolve(name), StandardCharsets.UTF_8);
            assertThat(hasRawControl(log)).as(name + ": " + log).isFalse();
            assertThat(log).contains("pwn \\x1b]52;c;cm0gLXJmIH4=\\x07");
        }
        assertThat(Files.readString(dir.resolve("orchestration.log"), StandardCharsets.UTF_8).lines()).hasSize(9);
    }

    @Test
    void givenATerminalWhenTheProgressLineIsRedrawnThenTheOnlyEscapesAreRulemuxsOwnLineClears() {
        StringWriter console = new StringWriter();
        try (EventLog log = new EventLog(dir, new PrintWriter(console, true), true, Clock.systemUTC())) {
            log.progress("progress " + HOSTILE, "k");
            everyKindOfLine(log, HOSTILE);
        }

        String withoutOwnClears = console.toString().replace("\r\u001b[K", "");
        assertThat(hasRawControl(withoutOwnClears)).as(withoutOwnClears).isFalse();
    }
}
