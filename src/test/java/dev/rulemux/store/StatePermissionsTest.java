package dev.rulemux.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.rulemux.config.TaskSpecs;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The state (tasks, notes, events, agents' screens) is readable by its owner only. */
class StatePermissionsTest {

    @TempDir
    Path dir;

    @BeforeEach
    void posix() {
        assumeTrue(FileSystems.getDefault().supportedFileAttributeViews().contains("posix"), "POSIX permissions");
    }

    static String mode(Path p) throws Exception {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
    }

    @Test
    void givenNoStateWhenTheStoreIsOpenedThenItsFolderIsOwnerOnlyAndItsFilesOwnerReadWriteOnly() throws Exception {
        try (StateStore store = StateStore.open(dir)) {
            store.add(TaskSpecs.task("t1"), "cli"); // a write: the -wal and -shm files exist while it is open
            Path db = dir.resolve(StateStore.FILE);

            assertThat(mode(db.getParent())).isEqualTo("rwx------");
            assertThat(mode(db)).isEqualTo("rw-------");
            assertThat(mode(Path.of(db + "-wal"))).isEqualTo("rw-------");
            assertThat(mode(Path.of(db + "-shm"))).isEqualTo("rw-------");
        }
    }

    @Test
    void givenAStateMadeWorldReadableWhenTheStoreIsOpenedThenItIsMadeOwnerOnlyAgain() throws Exception {
        try (StateStore store = StateStore.open(dir)) {
            store.add(TaskSpecs.task("t1"), "cli");
        }
        Path db = dir.resolve(StateStore.FILE);
        Files.setPosixFilePermissions(db.getParent(), PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.setPosixFilePermissions(db, PosixFilePermissions.fromString("rw-r--r--"));

        try (StateStore store = StateStore.open(dir)) {
            assertThat(mode(db.getParent())).isEqualTo("rwx------");
            assertThat(mode(db)).isEqualTo("rw-------");
            assertThat(mode(Path.of(db + "-wal"))).isEqualTo("rw-------");
            assertThat(store.record("t1")).isPresent();
        }
    }
}
