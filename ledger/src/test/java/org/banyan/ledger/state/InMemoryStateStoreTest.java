package org.banyan.ledger.state;

class InMemoryStateStoreTest extends StateStoreContract {
    @Override
    protected StateStore newStore() {
        return new InMemoryStateStore();
    }
}
