package dev.rulemux;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import dev.rulemux.cli.RulemuxCommand;
import java.time.Clock;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;

/** The command line a cold start builds: only the subcommand named, all of them otherwise; the libraries' logging. */
class MainCommandLineTest {

    private final App app = new App(Clock.systemUTC());

    @Test
    void givenACommandLineThatNamesASubcommandWhenItIsBuiltThenOnlyThatSubcommandIsReflectedOver() {
        CommandLine cli = Main.commandLine(app, new String[] {"decide", "--config", "x"});

        assertThat(cli.getSubcommands()).containsOnlyKeys("decide");
    }

    @Test
    void givenANestedSubcommandWhenItsParentIsNamedThenTheParentComesWithItsOwnSubcommands() {
        CommandLine cli = Main.commandLine(app, new String[] {"task", "list"});

        assertThat(cli.getSubcommands()).containsOnlyKeys("task");
        assertThat(cli.getSubcommands().get("task").getSubcommands()).containsKeys("add", "list");
    }

    @Test
    void givenHelpAnUnknownNameOrNothingWhenTheCommandLineIsBuiltThenEverySubcommandIsThere() {
        for (String[] args : new String[][] {{}, {"--help"}, {"nosuch"}, {"-V"}}) {
            CommandLine cli = Main.commandLine(app, args);

            assertThat(cli.getSubcommands()).as(String.join(" ", args)).hasSize(RulemuxCommand.SUBCOMMANDS.size());
        }
    }

    @Test
    void givenEverySubcommandWhenLookedUpByItsNameThenItIsFound() {
        for (Class<?> type : RulemuxCommand.SUBCOMMANDS) {
            String name = type.getAnnotation(CommandLine.Command.class).name();

            assertThat(RulemuxCommand.subcommandNamed(name)).as(name).isEqualTo(type);
        }
        assertThat(RulemuxCommand.subcommandNamed("--help")).isNull();
    }

    @Test
    void givenLogbackWhenTheLibrariesLogThenOnlyWarningsReachStderrAndDroolsFailedBuildDumpIsSilenced() {
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();

        assertThat(context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).getLevel()).isEqualTo(Level.WARN);
        assertThat(context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).getAppender("STDERR")).isNotNull();
        assertThat(context.getLogger("org.drools.compiler.kie.builder.impl.KieProject").getLevel()).isEqualTo(Level.OFF);
        assertThat(context.getLogger("org.drools.mvel.MVELConstraint").getLevel()).isEqualTo(Level.ERROR);
    }
}
