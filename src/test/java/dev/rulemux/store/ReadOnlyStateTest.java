package dev.rulemux.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rulemux.config.TaskSpecs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The state opened read-only, for the commands that only show it: it is never made, migrated or written. */
class ReadOnlyStateTest {

    @TempDir
    Path dir;

    static String digest(Path file) throws Exception {
        return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
    }

    @Test
    void givenNoStateWhenOpenedReadOnlyThenThereIsNoneAndNothingIsMade() {
        assertThat(StateStore.openReadOnly(dir)).isEmpty();
        assertThat(dir.resolve(".rulemux")).doesNotExist();
    }

    @Test
    void givenAStateWhenOpenedReadOnlyThenItReadsAndRefusesEveryWrite() throws Exception {
        try (StateStore store = StateStore.open(dir)) {
            store.add(TaskSpecs.task("t1"), "cli");
        }
        Path db = dir.resolve(StateStore.FILE);
        String before = digest(db);

        try (StateStore store = StateStore.openReadOnly(dir).orElseThrow()) {
            assertThat(store.records()).extracting(r -> r.id()).containsExactly("t1");
            assertThatThrownBy(() -> store.add(TaskSpecs.task("t2"), "cli")).isInstanceOf(StoreException.class);
        }
        assertThat(digest(db)).isEqualTo(before);
    }

    @Test
    void givenAStateOfAnOlderSchemaWhenOpenedReadOnlyThenItIsRefusedUnmigrated() throws Exception {
        Path db = dir.resolve(StateStore.FILE);
        Files.createDirectories(db.getParent());
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db); Statement s = c.createStatement()) {
            int older = Schema.latest() - 1; // the schema before the latest (0: a database no rulemux has set up)
            for (int v = 0; v < older; v++) {
                for (String sql : Schema.MIGRATIONS.get(v)) {
                    s.execute(sql);
                }
            }
            s.execute("PRAGMA application_id = " + (older == 0 ? 0 : Schema.APPLICATION_ID));
            s.execute("PRAGMA user_version = " + older);
            s.execute("VACUUM");
        }
        String before = digest(db);

        assertThatThrownBy(() -> StateStore.openReadOnly(dir)).isInstanceOf(StoreException.class)
                .hasMessageContaining("older schema (" + (Schema.latest() - 1)).hasMessageContaining("to migrate it");
        assertThat(digest(db)).isEqualTo(before);
    }
}
