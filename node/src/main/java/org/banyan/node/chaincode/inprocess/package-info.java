/**
 * In-process Java chaincode, the fast path: a chaincode's jar (or jars and class directories) loaded into its own
 * class loader and called directly through Fabric's contract API, each state access a method call on the
 * chaincode's thread served by the same request logic as a chaincode stream
 * ({@link org.banyan.node.chaincode.ChaincodeRequests}). {@link
 * org.banyan.node.chaincode.inprocess.InProcessChaincodes} is the entry point; the port package is what crosses
 * class loaders, the shim package what runs inside the chaincode's. See docs/chaincode.md, "In-process".
 */
package org.banyan.node.chaincode.inprocess;
