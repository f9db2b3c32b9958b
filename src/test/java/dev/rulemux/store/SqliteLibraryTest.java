package dev.rulemux.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sqlite.SQLiteConfig;

/** SQLite's native library is copied out of the jar once and loaded from the copy by later commands. */
class SqliteLibraryTest {

    @TempDir
    Path cache;

    private String path;
    private String name;

    @BeforeEach
    void noPropertiesSet() {
        path = System.clearProperty(SqliteLibrary.PATH);
        name = System.clearProperty(SqliteLibrary.NAME);
    }

    @AfterEach
    void propertiesAsTheyWere() {
        restore(SqliteLibrary.PATH, path);
        restore(SqliteLibrary.NAME, name);
    }

    @Test
    void givenAnEmptyCacheWhenTheLibraryIsKeptThenItIsCopiedOnceIntoAnOwnerOnlyFolderAndTheDriverIsPointedAtIt() throws Exception {
        SqliteLibrary.keep(cache);

        Path lib = Path.of(System.getProperty(SqliteLibrary.PATH), System.getProperty(SqliteLibrary.NAME));
        assertThat(lib).isRegularFile().startsWith(cache);
        assertThat(java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(lib.getParent())))
                .isEqualTo("rwx------");
        long written = Files.getLastModifiedTime(lib).toMillis();
        Files.setLastModifiedTime(lib, java.nio.file.attribute.FileTime.fromMillis(written - 60_000));

        SqliteLibrary.keep(cache);

        assertThat(Files.getLastModifiedTime(lib).toMillis()).as("not written again").isEqualTo(written - 60_000);
        try (Stream<Path> keys = Files.list(cache)) {
            assertThat(keys.toList()).hasSize(1);
        }
        try (Connection c = new SQLiteConfig().createConnection("jdbc:sqlite::memory:");
             ResultSet r = c.createStatement().executeQuery("SELECT sqlite_version()")) {
            assertThat(r.next()).isTrue();
        }
    }

    @Test
    void givenACopyCutShortWhenTheLibraryIsKeptThenItIsWrittenAgainWhole() throws Exception {
        SqliteLibrary.keep(cache);
        Path lib = Path.of(System.getProperty(SqliteLibrary.PATH), System.getProperty(SqliteLibrary.NAME));
        long whole = Files.size(lib);
        Files.write(lib, new byte[10]);

        SqliteLibrary.keep(cache);

        assertThat(Files.size(lib)).isEqualTo(whole);
    }

    @Test
    void givenAKeptCopyInAFolderOthersMayWriteWhenTheLibraryIsKeptThenTheDriverIsNotPointedAtIt() throws Exception {
        SqliteLibrary.keep(cache);
        Path folder = Path.of(System.getProperty(SqliteLibrary.PATH));
        System.clearProperty(SqliteLibrary.PATH);
        System.clearProperty(SqliteLibrary.NAME);
        Files.setPosixFilePermissions(folder, java.nio.file.attribute.PosixFilePermissions.fromString("rwxrwxrwx"));

        SqliteLibrary.keep(cache);

        assertThat(System.getProperty(SqliteLibrary.PATH)).isNull();
        assertThat(System.getProperty(SqliteLibrary.NAME)).isNull();
    }

    @Test
    void givenTheCacheTurnedOffOrItsPlaceChosenWhenTheFolderIsAskedThenItFollowsTheEnvironment() {
        assertThat(SqliteLibrary.cacheDir(Map.of("RULEMUX_NATIVE_CACHE", "off"))).isNull();
        assertThat(SqliteLibrary.cacheDir(Map.of("RULEMUX_CACHE_DIR", "/c"))).isEqualTo(Path.of("/c/native"));
        assertThat(SqliteLibrary.cacheDir(Map.of("XDG_CACHE_HOME", "/x"))).isEqualTo(Path.of("/x/rulemux/native"));
        assertThat(List.of(SqliteLibrary.cacheDir(Map.of()).toString())).allMatch(p -> p.endsWith(".cache/rulemux/native"));
    }

    private static void restore(String key, String value) {
        if (value == null) {
            System.clearProperty(key);
        } else {
            System.setProperty(key, value);
        }
    }
}
