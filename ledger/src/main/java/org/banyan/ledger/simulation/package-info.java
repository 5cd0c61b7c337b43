/**
 * Transaction simulation: a chaincode's reads and writes against committed state, recorded as Fabric's
 * read/write set ({@code TxReadWriteSet} of {@code KVRWSet}s) with the versions read and the range queries
 * run, so that commit can check them (MVCC and phantom reads). See {@code docs/chaincode.md}.
 */
package org.banyan.ledger.simulation;
