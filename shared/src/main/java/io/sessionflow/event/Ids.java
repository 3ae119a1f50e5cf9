package io.sessionflow.event;

import java.util.regex.Pattern;

/** The one rule for identifiers (run, session, user, component): printable, bounded, no surprises in URLs or logs. */
public final class Ids {

    private static final Pattern ID = Pattern.compile("[A-Za-z0-9._:@\\-]{1,128}");

    private Ids() {
    }

    public static boolean isValid(String id) {
        return id != null && ID.matcher(id).matches();
    }

    public static String requireId(String id, String field) {
        if (id == null) {
            throw new IllegalArgumentException(field + " is required");
        }
        if (!isValid(id)) {
            throw new IllegalArgumentException(field + " must be 1-128 characters of letters, digits and . _ : @ -");
        }
        return id;
    }
}
