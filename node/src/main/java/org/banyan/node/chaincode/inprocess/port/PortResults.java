package org.banyan.node.chaincode.inprocess.port;

import java.util.List;
import java.util.Objects;

/**
 * One batch of a query's results, as Fabric's {@code QueryResponse} carries them.
 *
 * @param id the query's ID, for {@link PortTransaction#queryNext} and {@link PortTransaction#queryClose}
 * @param hasMore true when {@link PortTransaction#queryNext} has more
 * @param paginated true when the query was paginated: then {@code fetchedRecordsCount} and {@code bookmark} are
 *     Fabric's {@code QueryResponseMetadata}
 * @param <T> {@link StateEntry} for ranges, {@link HistoryEntry} for histories
 */
public record PortResults<T>(String id, List<T> results, boolean hasMore, boolean paginated, int fetchedRecordsCount,
                             String bookmark) {
    public PortResults {
        Objects.requireNonNull(id, "id");
        results = List.copyOf(results);
        Objects.requireNonNull(bookmark, "bookmark");
    }

    /** A key and its committed value (Fabric's {@code queryresult.KV}). */
    public record StateEntry(String key, byte[] value) {}

    /**
     * One committed write of a key (Fabric's {@code KeyModification}).
     *
     * @param value empty for a delete
     * @param seconds the writing transaction's timestamp, seconds since the epoch
     * @param nanos and its nanoseconds
     */
    public record HistoryEntry(String txId, byte[] value, long seconds, int nanos, boolean delete) {}
}
