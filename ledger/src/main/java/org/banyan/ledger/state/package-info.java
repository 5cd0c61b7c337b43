/**
 * The world state: each chaincode namespace's keys with their current value, version and metadata.
 * {@link org.banyan.ledger.state.StateStore} is the port; {@link org.banyan.ledger.state.RocksDbStateStore}
 * the production store and {@link org.banyan.ledger.state.InMemoryStateStore} the reference model. Both
 * order keys by their UTF-8 bytes, as Fabric's LevelDB state database does, and both pass
 * {@code StateStoreContract}.
 */
package org.banyan.ledger.state;
