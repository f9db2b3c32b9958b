package dev.rulemux.store;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Set;

/**
 * The state is its owner's only: the state folder {@code .rulemux} is {@code rwx------} and the database with its
 * {@code -wal} and {@code -shm} files {@code rw-------} (SQLite gives the last two the database's mode). Made so
 * when created, and made so again when found opened up (an older rulemux made them world-readable). On a file
 * system without POSIX permissions nothing is changed.
 */
final class OwnerOnly {

    static final String STATE_FOLDER = ".rulemux";
    private static final Set<PosixFilePermission> FOLDER = PosixFilePermissions.fromString("rwx------");
    private static final Set<PosixFilePermission> FILE = PosixFilePermissions.fromString("rw-------");

    private OwnerOnly() {
    }

    /** Makes {@code dir} and its missing parents, each new one owner-only; a state folder found open is closed. */
    static void directories(Path dir) throws IOException {
        if (!posix(dir)) {
            Files.createDirectories(dir);
            return;
        }
        Deque<Path> missing = new ArrayDeque<>();
        for (Path d = dir; d != null && !Files.exists(d); d = d.getParent()) {
            missing.push(d);
        }
        FileAttribute<Set<PosixFilePermission>> mode = PosixFilePermissions.asFileAttribute(FOLDER);
        for (Path d : missing) {
            try {
                Files.createDirectory(d, mode);
            } catch (FileAlreadyExistsException raced) {
                // another rulemux made it at the same time
            }
        }
        if (dir.getFileName() != null && dir.getFileName().toString().equals(STATE_FOLDER)) {
            restrict(dir, FOLDER);
        }
    }

    /** Makes the database file owner-only (creating it empty, so that it never exists with a wider mode), and its companions. */
    static void database(Path file) throws StoreException {
        try {
            if (!posix(file.toAbsolutePath().getParent())) {
                return;
            }
            try {
                Files.createFile(file, PosixFilePermissions.asFileAttribute(FILE));
            } catch (FileAlreadyExistsException exists) {
                restrict(file, FILE);
            }
            for (String suffix : new String[] {"-wal", "-shm", "-journal"}) {
                Path companion = Path.of(file + suffix);
                if (Files.exists(companion)) {
                    restrict(companion, FILE);
                }
            }
        } catch (IOException e) {
            throw new StoreException("cannot make " + file + " readable by its owner only: " + e.getMessage(), e);
        }
    }

    /** Narrows {@code p} to {@code mode}; a file of another user (which this user may not change) is left as it is. */
    private static void restrict(Path p, Set<PosixFilePermission> mode) throws IOException {
        if (!Files.getPosixFilePermissions(p).equals(mode)) {
            try {
                Files.setPosixFilePermissions(p, mode);
            } catch (java.nio.file.FileSystemException notOwner) {
                // only the owner may change a mode: the state is someone else's, shared on purpose
            }
        }
    }

    /** Whether the file system of {@code near} (or of its nearest existing parent) has POSIX permissions. */
    private static boolean posix(Path near) {
        Path existing = near.toAbsolutePath();
        while (existing != null && !Files.exists(existing)) {
            existing = existing.getParent();
        }
        try {
            return existing != null && Files.getFileStore(existing).supportsFileAttributeView("posix");
        } catch (IOException e) {
            return false;
        }
    }
}
