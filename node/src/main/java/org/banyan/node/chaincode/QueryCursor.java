package org.banyan.node.chaincode;

import com.google.protobuf.ByteString;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.hyperledger.fabric.protos.peer.QueryResponse;
import org.hyperledger.fabric.protos.peer.QueryResponseMetadata;
import org.hyperledger.fabric.protos.peer.QueryResultBytes;

/**
 * One open query of a transaction (a range scan or a key's history), answered in {@code QueryResponse} batches
 * exactly as Fabric's {@code QueryResponseGenerator.BuildQueryResponse} cuts them: an unpaginated query returns
 * batches of {@code batchSizeMax} with {@code has_more} until the source runs dry or {@code totalReturnLimit}
 * results were returned; a paginated query returns its whole page at once, with {@code QueryResponseMetadata}
 * (records fetched, bookmark) and {@code has_more = false}. The response that ends a query closes its source.
 *
 * <p>Used by one transaction's requests, which the shim sends one at a time.
 */
final class QueryCursor {
    /** Where results come from. */
    interface Source {
        /** The next result, encoded ({@code queryresult.KV} or {@code KeyModification}), or empty at the end. */
        Optional<ByteString> next();

        /** The bookmark of the next page (paginated queries). */
        String bookmark();

        void close();
    }

    private final String id;
    private final Source source;
    private final boolean paginated;
    private final int totalReturnLimit;
    private final int batchSizeMax;
    private final List<QueryResultBytes> pending = new ArrayList<>();
    private int totalReturned;
    private boolean closed;

    QueryCursor(String id, Source source, boolean paginated, int totalReturnLimit, int batchSizeMax) {
        this.id = id;
        this.source = source;
        this.paginated = paginated;
        this.totalReturnLimit = totalReturnLimit;
        this.batchSizeMax = batchSizeMax;
    }

    String id() {
        return id;
    }

    /** True once a response ended the query (or it was closed); the handler then forgets it. */
    boolean closed() {
        return closed;
    }

    /** The next response. */
    QueryResponse nextResponse() {
        while (true) {
            if (totalReturned >= totalReturnLimit) {
                return finish();
            }
            Optional<ByteString> result = source.next();
            if (result.isEmpty()) {
                return finish();
            }
            if (!paginated && pending.size() == batchSizeMax) {
                // As Fabric (BuildQueryResponse): the result just read waits in pending for the next batch, and counts
                // towards the total now.
                List<QueryResultBytes> batch = cut();
                pending.add(bytes(result.get()));
                totalReturned++;
                return QueryResponse.newBuilder().addAllResults(batch).setHasMore(true).setId(id).build();
            }
            pending.add(bytes(result.get()));
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

    private QueryResponse finish() {
        QueryResponse.Builder response = QueryResponse.newBuilder().addAllResults(cut()).setHasMore(false).setId(id);
        if (paginated) {
            String bookmark = source.bookmark();
            response.setMetadata(QueryResponseMetadata.newBuilder()
                    .setFetchedRecordsCount(totalReturned).setBookmark(bookmark).build().toByteString());
        }
        close();
        return response.build();
    }

    private List<QueryResultBytes> cut() {
        List<QueryResultBytes> batch = List.copyOf(pending);
        pending.clear();
        return batch;
    }

    private static QueryResultBytes bytes(ByteString result) {
        return QueryResultBytes.newBuilder().setResultBytes(result).build();
    }
}
