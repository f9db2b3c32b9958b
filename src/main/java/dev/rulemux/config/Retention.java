package dev.rulemux.config;

/**
 * How much a run keeps ({@code retention:} in {@code agents.yaml}): without it, logs, prompt files and the journal
 * grow for as long as rulemux runs.
 *
 * @param logBytes        a log of {@code logs/} is rotated ({@code orchestration.log} to {@code orchestration.log.1},
 *                        …) when a line would take it past this size
 * @param logsKept        how many rotated files of each log are kept
 * @param promptFilesKept how many prompt files ({@code .rulemux/prompts/}) are kept, the newest
 * @param eventsKeptDays  events of the journal older than this many days are deleted, at start and daily (tasks,
 *                        reports and agents' states, which crash recovery needs, are never pruned)
 */
public record Retention(long logBytes, int logsKept, int promptFilesKept, int eventsKeptDays) {

    public static final long MIB = 1024 * 1024;

    /** 10 MiB logs, 3 rotated files each, 200 prompt files, 30 days of events. */
    public static final Retention DEFAULT = new Retention(10 * MIB, 3, 200, 30);

    /** Reads the {@code retention:} mapping; absent knobs take their default. */
    static Retention read(Fields f) {
        long bytes = f.size("log_size", DEFAULT.logBytes(), 64 * 1024);
        int kept = f.integer("logs_kept", DEFAULT.logsKept(), 0, 100);
        int prompts = f.integer("prompt_files_kept", DEFAULT.promptFilesKept(), 1, 100_000);
        int days = f.integer("events_kept_days", DEFAULT.eventsKeptDays(), 1, 36_500);
        return new Retention(bytes, kept, prompts, days);
    }
}
