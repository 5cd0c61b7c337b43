/**
 * The port between the node and a chaincode loaded in its own class loader: Java types only (strings, byte arrays,
 * lists, records of this package), so one definition of each, the node's, serves both sides — the chaincode's class
 * loader delegates this package, and only this package, to the node. The node implements {@link
 * org.banyan.node.chaincode.inprocess.port.PortTransaction} (a transaction's ledger); the shim side
 * ({@code org.banyan.node.chaincode.inprocess.shim}, defined in the chaincode's class loader) implements {@link
 * org.banyan.node.chaincode.inprocess.port.PortChaincode}. Nothing crossing it is encoded: a state access is a
 * method call on the chaincode's thread.
 */
package org.banyan.node.chaincode.inprocess.port;
