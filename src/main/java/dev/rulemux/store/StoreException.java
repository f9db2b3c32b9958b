package dev.rulemux.store;

import java.sql.SQLException;
import org.sqlite.SQLiteException;

/** The state database cannot be used: which file, and what to do about it. */
public final class StoreException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public StoreException(String message) {
        super(message);
    }

    public StoreException(String message, Throwable cause) {
        super(message, cause);
    }

    /**
     * The failure may go away by itself: the database is locked by another process (SQLITE_BUSY, SQLITE_LOCKED), the
     * disk is full (SQLITE_FULL) or an I/O error happened (SQLITE_IOERR, SQLITE_CANTOPEN). Trying the same change later
     * may succeed; a corrupt or foreign database, a schema error or a bug will not.
     */
    public boolean isTransient() {
        for (Throwable t = getCause(); t != null; t = t.getCause()) {
            if (t instanceof SQLiteException s) {
                return transientCode(s.getResultCode().code);
            }
            if (t instanceof SQLException s && s.getErrorCode() != 0) {
                return transientCode(s.getErrorCode());
            }
        }
        return false;
    }

    /** Whether {@code e} is a {@link StoreException} that {@link #isTransient may go away}. */
    public static boolean isTransient(RuntimeException e) {
        return e instanceof StoreException s && s.isTransient();
    }

    private static boolean transientCode(int code) {
        int primary = code & 0xff; // extended codes (SQLITE_BUSY_SNAPSHOT, SQLITE_IOERR_WRITE…) keep the primary in the low byte
        return primary == 5 /* BUSY */ || primary == 6 /* LOCKED */ || primary == 10 /* IOERR */ || primary == 13 /* FULL */
                || primary == 14 /* CANTOPEN */;
    }
}
