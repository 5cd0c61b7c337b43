package org.banyan.crypto.x509;

import java.time.Duration;
import java.time.Instant;

/**
 * A certificate's validity window, both ends inclusive as in RFC 5280 section 4.1.2.5.
 *
 * @param notBefore first valid instant
 * @param notAfter last valid instant
 */
public record Validity(Instant notBefore, Instant notAfter) {
    /** Fabric's cryptogen backdates certificates by five minutes to tolerate clock skew. */
    public static final Duration BACKDATE = Duration.ofMinutes(5);

    /** notBefore must not be after notAfter. */
    public Validity {
        if (notBefore.isAfter(notAfter)) {
            throw new IllegalArgumentException("notBefore " + notBefore + " after notAfter " + notAfter);
        }
    }

    /** From {@code issuedAt} minus {@link #BACKDATE} for the given number of days, as cryptogen (3650 days). */
    public static Validity days(Instant issuedAt, long days) {
        return new Validity(issuedAt.minus(BACKDATE), issuedAt.plus(Duration.ofDays(days)));
    }

    /** True when the instant lies inside the window. */
    public boolean contains(Instant instant) {
        return !instant.isBefore(notBefore) && !instant.isAfter(notAfter);
    }
}
