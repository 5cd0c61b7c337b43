package org.banyan.samples.finance;

import java.util.regex.Pattern;

/** Names of accounts, bills and other records: 1 to 64 of {@code A-Z a-z 0-9 . _ @ -}, so keys stay readable. */
public final class Ids {
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9._@-]{1,64}");

    private Ids() {}

    /** Refuses an ID that is missing or has other characters. */
    public static String require(String what, String id) {
        if (id == null || !ID.matcher(id).matches()) {
            throw Refusal.of(Refusal.BAD_ARGUMENT, what + " '" + id + "' must be 1 to 64 of A-Z a-z 0-9 . _ @ -");
        }
        return id;
    }
}
