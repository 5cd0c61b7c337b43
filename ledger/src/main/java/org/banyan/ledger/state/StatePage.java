package org.banyan.ledger.state;

import java.util.List;

/**
 * One page of a range scan.
 *
 * @param entries keys in ascending order with their values
 * @param bookmark pass back to continue after this page; empty when the range is exhausted
 */
public record StatePage(List<Entry> entries, String bookmark) {
    public record Entry(String key, VersionedValue value) {}
}
