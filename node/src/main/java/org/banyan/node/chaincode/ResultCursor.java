package org.banyan.node.chaincode;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * One open query of a transaction (a range scan or a key's history), cut into batches exactly as Fabric's
 * {@code QueryResponseGenerator.BuildQueryResponse} cuts them, over results of any type: an unpaginated query returns
 * batches of {@code batchSizeMax} with {@code has_more} until the source runs dry or {@code totalReturnLimit} results
 * were returned; a paginated query returns its whole page at once, with the records fetched and the bookmark, and
 * {@code has_more = false}. The batch that ends a query closes its source. The results are what the handler encodes
 * on the wire ({@link QueryCursor}) and what the in-process runner hands to the chaincode as they are, so both read
 * ahead of the chaincode alike (reading one result of a batch records the whole batch in the read/write set).
 *
 * <p>Used by one transaction's requests, one at a time.
 *
 * @param <T> one result ({@code queryresult.KV}, {@code KeyModification}, or its encoding)
 */
final class ResultCursor<T> {
    /** Where results come from. */
    interface Source<T> {
        /** The next result, or empty at the end. */
        Optional<T> next();

        /** The bookmark of the next page (paginated queries). */
        String bookmark();

        void close();
    }

    private final String id;
    private final Source<? extends T> source;
    private final boolean paginated;
    private final int totalReturnLimit;
    private final int batchSizeMax;
    private final List<T> pending = new ArrayList<>();
    private int totalReturned;
    private boolean closed;

    ResultCursor(String id, Source<? extends T> source, boolean paginated, int totalReturnLimit, int batchSizeMax) {
        this.id = id;
        this.source = source;
        this.paginated = paginated;
        this.totalReturnLimit = totalReturnLimit;
        this.batchSizeMax = batchSizeMax;
    }

    String id() {
        return id;
    }

    /** True once a batch ended the query (or it was closed); its owner then forgets it. */
    boolean closed() {
        return closed;
    }

    /** The next batch. */
    ChaincodeRequests.Batch<T> nextBatch() {
        while (true) {
            if (totalReturned >= totalReturnLimit) {
                return finish();
            }
            Optional<? extends T> result = source.next();
            if (result.isEmpty()) {
                return finish();
            }
            if (!paginated && pending.size() == batchSizeMax) {
                // As Fabric (BuildQueryResponse): the result just read waits in pending for the next batch, and counts
                // towards the total now.
                List<T> batch = cut();
                pending.add(result.get());
                totalReturned++;
                return new ChaincodeRequests.Batch<>(id, batch, true, Optional.empty());
            }
            pending.add(result.get());
            totalReturned++;
        }
    }

    /** Closes the source; a second call does nothing. */
    void close() {
        if (!closed) {
            closed = true;
            source.close();
        }
    }

    private ChaincodeRequests.Batch<T> finish() {
        Optional<ChaincodeRequests.Page> page = paginated
                ? Optional.of(new ChaincodeRequests.Page(totalReturned, source.bookmark()))
                : Optional.empty();
        ChaincodeRequests.Batch<T> batch = new ChaincodeRequests.Batch<>(id, cut(), false, page);
        close();
        return batch;
    }

    private List<T> cut() {
        List<T> batch = List.copyOf(pending);
        pending.clear();
        return batch;
    }
}
