package org.banyan.node.chaincode;

import com.google.protobuf.ByteString;
import com.google.protobuf.MessageLite;
import java.util.function.Function;
import org.hyperledger.fabric.protos.peer.QueryResponse;
import org.hyperledger.fabric.protos.peer.QueryResponseMetadata;
import org.hyperledger.fabric.protos.peer.QueryResultBytes;

/**
 * One open query of a transaction answered in {@code QueryResponse} messages: a {@link ResultCursor} over encoded
 * results, each batch encoded as Fabric's {@code QueryResponseGenerator.BuildQueryResponse} encodes it
 * ({@link #encode}: the results as {@code QueryResultBytes}, {@code has_more}, the ID, and for a paginated query
 * {@code QueryResponseMetadata}).
 *
 * <p>Used by one transaction's requests, which the shim sends one at a time.
 */
final class QueryCursor {
    /** Where results come from: each one encoded ({@code queryresult.KV} or {@code KeyModification}). */
    interface Source extends ResultCursor.Source<ByteString> {}

    private final ResultCursor<ByteString> cursor;

    QueryCursor(String id, Source source, boolean paginated, int totalReturnLimit, int batchSizeMax) {
        this.cursor = new ResultCursor<>(id, source, paginated, totalReturnLimit, batchSizeMax);
    }

    String id() {
        return cursor.id();
    }

    /** True once a response ended the query (or it was closed); the handler then forgets it. */
    boolean closed() {
        return cursor.closed();
    }

    /** The next response. */
    QueryResponse nextResponse() {
        return encode(cursor.nextBatch(), Function.identity());
    }

    /** Closes the source; a second call does nothing. */
    void close() {
        cursor.close();
    }

    /** A batch of results as the {@code QueryResponse} the chaincode gets on the wire. */
    static QueryResponse encode(ChaincodeRequests.Batch<? extends MessageLite> batch) {
        return encode(batch, MessageLite::toByteString);
    }

    private static <T> QueryResponse encode(ChaincodeRequests.Batch<T> batch, Function<? super T, ByteString> bytes) {
        QueryResponse.Builder response = QueryResponse.newBuilder().setHasMore(batch.hasMore()).setId(batch.id());
        for (T result : batch.results()) {
            response.addResults(QueryResultBytes.newBuilder().setResultBytes(bytes.apply(result)));
        }
        batch.page().ifPresent(page -> response.setMetadata(QueryResponseMetadata.newBuilder()
                .setFetchedRecordsCount(page.fetchedRecordsCount()).setBookmark(page.bookmark()).build()
                .toByteString()));
        return response.build();
    }
}
