package org.banyan.node.chaincode.inprocess.shim;

import java.util.function.Function;
import org.banyan.node.chaincode.inprocess.port.PortResults;
import org.hyperledger.fabric.protos.peer.QueryResponseMetadata;
import org.hyperledger.fabric.shim.ledger.QueryResultsIteratorWithMetadata;

/**
 * Paginated query results, as the shim's {@code QueryResultsIteratorWithMetadataImpl}: the first answer's metadata
 * (records fetched and bookmark; Fabric's empty metadata when the query was not paginated after all).
 */
final class ShimResultsWithMetadata<T> extends ShimResults<T> implements QueryResultsIteratorWithMetadata<T> {
    private final QueryResponseMetadata metadata;

    ShimResultsWithMetadata(ShimStub stub, PortResults<?> first, Function<Object, T> mapper) {
        super(stub, first, mapper);
        this.metadata = first.paginated()
                ? QueryResponseMetadata.newBuilder().setFetchedRecordsCount(first.fetchedRecordsCount())
                        .setBookmark(first.bookmark()).build()
                : QueryResponseMetadata.getDefaultInstance();
    }

    @Override
    public QueryResponseMetadata getMetadata() {
        return metadata;
    }
}
