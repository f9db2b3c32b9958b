package dev.rulemux.cli;

import dev.rulemux.App;
import dev.rulemux.config.Config;
import dev.rulemux.config.Problem;
import dev.rulemux.rules.PolicyEngine;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code rulemux validate}: checks the YAML and compiles the DRL, changing nothing. */
@Command(name = "validate", mixinStandardHelpOptions = true,
        description = "Check agents.yaml, tasks.yaml, the profiles and policy.yaml, and compile the DRL rules. "
                + "Exit code 2 and file:line errors when something is wrong.")
public final class ValidateCommand implements Callable<Integer> {

    @Mixin
    ConfigOption config;

    @Spec
    CommandSpec spec;

    private final App app;

    public ValidateCommand(App app) {
        this.app = app;
    }

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        Config cfg = app.loadConfigAndPolicy(config.dir());
        try (PolicyEngine policy = app.compilePolicy(cfg)) {
            out.printf("%s: session %s, %d agents (%s)%n", cfg.team().file(), cfg.team().session(),
                    cfg.team().agents().size(), String.join(", ", cfg.team().agents().stream().map(a -> a.name()).toList()));
            out.printf("%s: %d tasks%n", cfg.dir().resolve("tasks.yaml"), cfg.tasks().size());
            out.printf("profiles: %s%n", String.join(", ", cfg.profiles().keySet().stream().sorted().toList()));
            out.printf("rules: %d files, %d rules (%s)%n", policy.files().size(), policy.ruleLocations().size(),
                    String.join(", ", policy.files().stream().map(f -> f.name()).toList()));
            out.printf("policy knobs: %s%n", String.join(", ", cfg.policy().values().entrySet().stream()
                    .map(e -> e.getKey() + "=" + e.getValue()).toList()));
            for (Problem w : cfg.warnings()) {
                out.println("warning: " + w);
            }
            out.println("ok");
        }
        return ExitCodes.OK;
    }
}
