package dev.rulemux.terminal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** One terminal over this machine and another host: each agent's calls go to its machine, pane ids say which. */
class HostRouterTest {

    private final FakeTerminal here = new FakeTerminal();
    private final FakeTerminal box = new FakeTerminal();
    private final HostRouter router = new HostRouter(here, Map.of("box", box), Map.of("far", "box"), 200, 50);

    @Test
    void givenAnAgentOnAHost_whenItsWindowIsMade_thenTheSessionIsMadeThere_andItsPaneIdNamesTheHost() {
        String near = router.newSession("team", "near", Path.of("."), Map.of(), List.of("cli"), 200, 50);
        String far = router.newWindow("team", "far", null, Map.of(), List.of("cli"));

        assertThat(near).doesNotContain(":");
        assertThat(far).startsWith("box:%");
        assertThat(here.launched()).containsExactly("near");
        assertThat(box.launched()).containsExactly("far");
        assertThat(router.panes("team")).extracting(p -> p.window() + " " + p.id() + " " + p.pid())
                .containsExactly("near " + near + " " + here.panes("team").get(0).pid(), "far " + far + " -1");
    }

    @Test
    void givenPanesOnBothMachines_whenTypedInto_thenEachTextReachesItsOwnMachineOnly() {
        here.running("team", "near");
        box.running("team", "far");
        String far = router.panes("team").stream().filter(p -> p.window().equals("far")).findFirst().orElseThrow().id();
        String near = router.panes("team").stream().filter(p -> p.window().equals("near")).findFirst().orElseThrow().id();

        router.paste(far, "for the far one");
        router.paste(near, "for the near one");
        router.pressKeys(far, List.of("Enter"));

        assertThat(box.pasted("far")).containsExactly("for the far one");
        assertThat(here.pasted("near")).containsExactly("for the near one");
        assertThat(box.pressed("far")).containsExactly(List.of("Enter"));
    }

    @Test
    void givenAHostThatFails_thenItsPanesAreLeftOut_andThisMachinesAreStillListed_andItsCallsFail() {
        here.running("team", "near");
        box.running("team", "far");
        String far = router.panes("team").get(1).id();
        box.fails(FakeTerminal.Call.PANES, "host box is down: Connection refused");
        box.fails(FakeTerminal.Call.CAPTURE, "host box is down: Connection refused");

        assertThat(router.panes("team")).extracting(Pane::window).containsExactly("near");
        assertThat(router.hasSession("team")).isTrue();
        assertThatThrownBy(() -> router.capture(far)).isInstanceOf(TerminalException.class).hasMessageContaining("host box is down");
    }

    @Test
    void aPaneIdOfAHostIsReadBackAsThatHost() {
        assertThat(HostRouter.hostOf(HostRouter.qualified("dev@gpu-box", "%12"))).contains("dev@gpu-box");
        assertThat(HostRouter.hostOf("%12")).isEmpty();
    }
}
