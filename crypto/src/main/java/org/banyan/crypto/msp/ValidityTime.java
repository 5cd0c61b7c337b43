package org.banyan.crypto.msp;

import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * The instant an identity's certificate chain is checked at. Two rules, because Fabric uses two:
 *
 * <ul>
 *   <li>{@link #at(Instant)}: a given instant, e.g. the local clock when a node admits an envelope for ordering
 *       or endorses a proposal; an expired certificate is refused there.
 *   <li>{@link #atIssuance()}: one second after the identity certificate's own notBefore, as Fabric's MSP does
 *       for every identity it validates ({@code getValidityOptsForCert} sets {@code CurrentTime = NotBefore + 1s}).
 *       Expiry is then not an MSP failure, and the verdict depends on the certificate alone, never on a clock, so
 *       every node validating a committed block reaches the same code however late it validates it.
 * </ul>
 */
public sealed interface ValidityTime {
    /** Fabric's offset from notBefore in {@link #atIssuance()}. */
    Duration ISSUANCE_OFFSET = Duration.ofSeconds(1);

    /** The instant to check {@code certificate}'s chain at. */
    Instant instantFor(X509Certificate certificate);

    static ValidityTime at(Instant instant) {
        return new At(instant);
    }

    static ValidityTime atIssuance() {
        return AtIssuance.RULE;
    }

    /** A fixed instant. */
    record At(Instant instant) implements ValidityTime {
        public At {
            Objects.requireNonNull(instant, "instant");
        }

        @Override
        public Instant instantFor(X509Certificate certificate) {
            return instant;
        }
    }

    /** Fabric's committer rule: the certificate's notBefore + {@link #ISSUANCE_OFFSET}. */
    enum AtIssuance implements ValidityTime {
        RULE;

        @Override
        public Instant instantFor(X509Certificate certificate) {
            return certificate.getNotBefore().toInstant().plus(ISSUANCE_OFFSET);
        }
    }
}
