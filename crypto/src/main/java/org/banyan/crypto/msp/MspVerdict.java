package org.banyan.crypto.msp;

import java.util.Objects;
import java.util.Optional;

/**
 * The outcome of validating an identity or verifying a signature: valid, or a failure with a precise reason.
 * Validation never throws for bad input; it returns a verdict.
 *
 * @param failure empty when valid
 * @param detail human-readable context, empty when valid
 */
public record MspVerdict(Optional<MspFailure> failure, String detail) {
    private static final MspVerdict VALID = new MspVerdict(Optional.empty(), "");

    /** Both parts required. */
    public MspVerdict {
        Objects.requireNonNull(failure, "failure");
        Objects.requireNonNull(detail, "detail");
    }

    /** The valid verdict. */
    public static MspVerdict valid() {
        return VALID;
    }

    /** A rejection. */
    public static MspVerdict rejected(MspFailure failure, String detail) {
        return new MspVerdict(Optional.of(failure), detail);
    }

    /** True when nothing failed. */
    public boolean isValid() {
        return failure.isEmpty();
    }
}
