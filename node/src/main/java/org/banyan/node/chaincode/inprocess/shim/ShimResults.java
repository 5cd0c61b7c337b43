package org.banyan.node.chaincode.inprocess.shim;

import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.function.Function;
import org.banyan.node.chaincode.inprocess.port.PortResults;
import org.hyperledger.fabric.shim.ledger.QueryResultsIterator;

/**
 * Query results as the shim's {@code QueryResultsIteratorImpl} hands them out: the batch the node answered, then
 * {@code QUERY_STATE_NEXT} for the next one while it says it has more; {@link #close()} sends
 * {@code QUERY_STATE_CLOSE}. Every iterator of one instance shares its position, as in the shim.
 */
class ShimResults<T> implements QueryResultsIterator<T> {
    private final ShimStub stub;
    private final Function<Object, T> mapper;
    private Iterator<?> current;
    private PortResults<?> response;

    ShimResults(ShimStub stub, PortResults<?> first, Function<Object, T> mapper) {
        this.stub = stub;
        this.mapper = mapper;
        this.response = first;
        this.current = first.results().iterator();
    }

    @Override
    public Iterator<T> iterator() {
        return new Iterator<>() {
            @Override
            public boolean hasNext() {
                return current.hasNext() || response.hasMore();
            }

            @Override
            public T next() {
                if (current.hasNext()) {
                    return mapper.apply(current.next());
                }
                if (!response.hasMore()) {
                    throw new NoSuchElementException();
                }
                String id = response.id();
                response = stub.request(() -> stub.transaction().queryNext(id));
                current = response.results().iterator();
                return mapper.apply(current.next());
            }
        };
    }

    @Override
    public void close() throws Exception {
        String id = response.id();
        stub.request(() -> {
            stub.transaction().queryClose(id);
            return null;
        });
        current = Collections.emptyIterator();
        response = new PortResults<>("", List.of(), false, false, 0, "");
    }
}
