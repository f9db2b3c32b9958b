package dev.rulemux.domain;

/** How an agent's dialogs are answered: by rulemux with the profile's keys, by a person (an alert), or refused. */
public enum Answer {
    /** Accept with the profile's accept keys. */
    AUTO,
    /** Leave the dialog up and alert the user; the task waits. */
    ASK,
    /** Answer with the profile's decline keys. */
    DENY
}
