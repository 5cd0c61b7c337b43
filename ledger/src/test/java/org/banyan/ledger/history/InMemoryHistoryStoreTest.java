package org.banyan.ledger.history;

class InMemoryHistoryStoreTest extends HistoryStoreContract {
    @Override
    protected HistoryStore newStore() {
        return new InMemoryHistoryStore();
    }
}
