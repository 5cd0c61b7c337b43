package org.banyan.crypto.sign;

import java.util.concurrent.atomic.LongAdder;

/**
 * Signature operations this process performed since it started: every {@link SignatureVerifier#verify} and
 * {@link Signer#sign} call that reached the provider (a memoised verdict is not an operation). The end-to-end
 * benchmark reads them from each node's {@code /metrics} to count the operations a committed transaction costs,
 * from the code path itself rather than from a formula. Cheap enough for the hot path ({@link LongAdder}).
 */
public final class SignatureCounters {
    private static final LongAdder VERIFICATIONS = new LongAdder();
    private static final LongAdder SIGNATURES = new LongAdder();

    private SignatureCounters() {}

    static void verified() {
        VERIFICATIONS.increment();
    }

    static void signed() {
        SIGNATURES.increment();
    }

    /** Verifications since the process started. */
    public static long verifications() {
        return VERIFICATIONS.sum();
    }

    /** Signatures made since the process started. */
    public static long signatures() {
        return SIGNATURES.sum();
    }
}
