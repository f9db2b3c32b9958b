package dev.rulemux.store;

import java.io.IOException;
import java.io.InputStream;
import java.net.JarURLConnection;
import java.net.URL;
import java.net.URLConnection;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import org.sqlite.SQLiteJDBCLoader;
import org.sqlite.util.LibraryLoaderUtil;

/**
 * SQLite's native library, kept extracted between commands. The driver otherwise copies it out of the jar into the
 * temporary folder at every start (under a new name each time, after comparing it byte by byte with the jar's), a
 * tenth of a second of a cold start. Here it is copied once into {@code <cache>/native/<key>/} and the driver is told
 * to load it from there ({@code org.sqlite.lib.path}, {@code org.sqlite.lib.name}). The key is the SHA-256 of the
 * driver's version, the library's place in its jar and that jar's path, size and time: another driver or another
 * build is another folder, so the copy is never stale. The folder is owner-only (the library is code rulemux loads): a
 * folder or copy that is not this user's, or that others may write, is not loaded; a copy whose size is not the jar
 * entry's is written again. Best effort: when anything fails (no home, a read-only
 * cache, the library not in a jar) nothing is set and the driver does as it always did.
 *
 * <p>The cache is {@code $RULEMUX_CACHE_DIR}, else {@code $XDG_CACHE_HOME/rulemux}, else {@code ~/.cache/rulemux} (as the
 * compiled policies'); {@code RULEMUX_NATIVE_CACHE=off} turns this off. Properties already set are left alone.
 */
final class SqliteLibrary {

    static final String PATH = "org.sqlite.lib.path";
    static final String NAME = "org.sqlite.lib.name";

    private static volatile boolean prepared;

    private SqliteLibrary() {
    }

    /** Points the driver at the kept copy, once per process, before its first connection. */
    static void prepare() {
        if (prepared) {
            return;
        }
        synchronized (SqliteLibrary.class) {
            if (!prepared) {
                prepared = true;
                if (System.getProperty(PATH) == null && System.getProperty(NAME) == null) {
                    Path dir = cacheDir(System.getenv());
                    if (dir != null) {
                        keep(dir);
                    }
                }
            }
        }
    }

    static Path cacheDir(Map<String, String> env) {
        String off = env.getOrDefault("RULEMUX_NATIVE_CACHE", "");
        if (off.equalsIgnoreCase("off") || off.equalsIgnoreCase("false") || off.equals("0")) {
            return null;
        }
        String own = env.get("RULEMUX_CACHE_DIR");
        if (own != null && !own.isBlank()) {
            return Path.of(own, "native");
        }
        String xdg = env.get("XDG_CACHE_HOME");
        if (xdg != null && !xdg.isBlank()) {
            return Path.of(xdg, "rulemux", "native");
        }
        String home = System.getProperty("user.home");
        return home == null || home.isBlank() ? null : Path.of(home, ".cache", "rulemux", "native");
    }

    /** Copies the library into {@code cache} (unless a whole copy is there) and sets the driver's properties to it. */
    static void keep(Path cache) {
        try {
            String folder = LibraryLoaderUtil.getNativeLibResourcePath();
            String name = LibraryLoaderUtil.getNativeLibName();
            String resource = (folder.startsWith("/") ? folder : "/" + folder) + "/" + name;
            URL url = SQLiteJDBCLoader.class.getResource(resource);
            if (url == null) {
                return;
            }
            URLConnection connection = url.openConnection();
            if (!(connection instanceof JarURLConnection jar)) {
                return; // a class directory: nothing to gain, the driver finds it as it always did
            }
            Path jarFile = Path.of(jar.getJarFileURL().toURI());
            long size = jar.getContentLengthLong();
            String key = key(SQLiteJDBCLoader.getVersion(), resource, jarFile.toAbsolutePath().toString(),
                    Files.size(jarFile), Files.getLastModifiedTime(jarFile).toMillis());
            Path dir = cache.resolve(key);
            Path lib = dir.resolve(name);
            if (!Files.isRegularFile(lib) || Files.size(lib) != size) {
                OwnerOnly.directories(dir);
                Path tmp = Files.createTempFile(dir, name, ".tmp");
                try (InputStream in = connection.getInputStream()) {
                    Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
                }
                if (Files.size(tmp) != size) {
                    Files.deleteIfExists(tmp);
                    return;
                }
                try {
                    Files.move(tmp, lib, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                } catch (AtomicMoveNotSupportedException e) {
                    Files.move(tmp, lib, StandardCopyOption.REPLACE_EXISTING);
                }
            }
            if (!private_(dir) || !private_(lib)) {
                return; // a folder or copy others could have written: not loaded, the driver extracts its own
            }
            System.setProperty(PATH, dir.toString());
            System.setProperty(NAME, name);
        } catch (IOException | RuntimeException | java.net.URISyntaxException e) {
            // the driver extracts it to the temporary folder, as it does without this
        }
    }

    /** Whether {@code p} is this user's and nobody else may write it (true where there are no POSIX permissions). */
    private static boolean private_(Path p) throws IOException {
        if (!Files.getFileStore(p).supportsFileAttributeView(java.nio.file.attribute.PosixFileAttributeView.class)) {
            return true;
        }
        java.nio.file.attribute.PosixFileAttributes a = Files.readAttributes(p, java.nio.file.attribute.PosixFileAttributes.class,
                java.nio.file.LinkOption.NOFOLLOW_LINKS);
        return a.owner().getName().equals(System.getProperty("user.name"))
                && !a.permissions().contains(java.nio.file.attribute.PosixFilePermission.GROUP_WRITE)
                && !a.permissions().contains(java.nio.file.attribute.PosixFilePermission.OTHERS_WRITE)
                && (a.isDirectory() || a.isRegularFile());
    }

    private static String key(String version, String resource, String jar, long size, long modified) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(String.join("\n", "rulemux-sqlite-native/1", version, resource, jar, Long.toString(size),
                    Long.toString(modified)).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(sha.digest()).substring(0, 32);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
