package io.sessionflow.store;

import java.sql.Timestamp;
import java.time.Instant;

/** The two JDBC value conversions that every store of every feature reads its rows with. */
public final class Jdbc {

    private Jdbc() {
    }

    /** A nullable column's timestamp as an instant. */
    public static Instant instant(Timestamp timestamp) {
        return timestamp == null ? null : timestamp.toInstant();
    }

    /** A JDBC batch's update counts as "this statement changed its row". */
    public static boolean[] eachChangedOneRow(int[] counts) {
        boolean[] changed = new boolean[counts.length];
        for (int i = 0; i < counts.length; i++) {
            changed[i] = counts[i] == 1;
        }
        return changed;
    }
}
