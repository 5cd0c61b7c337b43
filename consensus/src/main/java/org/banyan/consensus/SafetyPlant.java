package org.banyan.consensus;

/**
 * Deliberate bugs, for tests only, showing the simulator catches them. Package-private: production code can only
 * build a replica with {@link #NONE}.
 */
enum SafetyPlant {
    NONE,
    /** Vote for any block of a higher round, ignoring the 2-chain extension rule (the lock). */
    SKIP_LOCK_CHECK,
    /** Form certificates from 2f signatures instead of 2f+1. */
    QUORUM_2F
}
