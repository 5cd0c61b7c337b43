package org.banyan.node.ordering;

import java.util.Objects;

/**
 * A verdict with the reason behind it, for logs.
 *
 * @param verdict what was decided
 * @param detail empty for {@link EnvelopeVerdict#VALID}; otherwise why, at most {@value #DETAIL_CHARS_MAX}
 *     characters (cached verdicts keep it, so its size is bounded)
 */
public record EnvelopeCheck(EnvelopeVerdict verdict, String detail) {
    /** Longest detail kept; a policy reason over many organisations can be long. */
    public static final int DETAIL_CHARS_MAX = 512;

    static final EnvelopeCheck VALID = new EnvelopeCheck(EnvelopeVerdict.VALID, "");

    /** Truncates the detail to {@value #DETAIL_CHARS_MAX} characters. */
    public EnvelopeCheck {
        Objects.requireNonNull(verdict, "verdict");
        Objects.requireNonNull(detail, "detail");
        if (detail.length() > DETAIL_CHARS_MAX) {
            detail = detail.substring(0, DETAIL_CHARS_MAX - 1) + "…";
        }
    }

    static EnvelopeCheck rejected(EnvelopeVerdict verdict, String detail) {
        return new EnvelopeCheck(verdict, detail);
    }

    /** True for {@link EnvelopeVerdict#VALID}. */
    public boolean valid() {
        return verdict == EnvelopeVerdict.VALID;
    }
}
