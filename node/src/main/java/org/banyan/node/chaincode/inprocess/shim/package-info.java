/**
 * Fabric's Java shim, the part a chaincode talks to, over the node's {@link
 * org.banyan.node.chaincode.inprocess.port.PortTransaction} instead of a gRPC stream. These classes are compiled
 * against {@code fabric-chaincode-shim} 2.5 but never loaded by the node's class loader: each chaincode's class
 * loader defines its own copy from the node's class files, so they link against the shim, contract API and protobuf
 * classes that chaincode ships.
 *
 * <p>{@link org.banyan.node.chaincode.inprocess.shim.ShimChaincode} starts the chaincode as Fabric's shim does
 * without connecting ({@code ContractRouter} with its {@code @Contract} scan, or a {@code ChaincodeBase} subclass)
 * and runs each transaction as the shim's {@code ChaincodeInvocationTask} does; {@link
 * org.banyan.node.chaincode.inprocess.shim.ShimStub} is the shim's {@code InvocationStubImpl} 2.5.5 — the same
 * argument checks, defaults and exceptions — with each request a call on the port rather than a message. Only JDK
 * types and the port package cross to the node.
 */
package org.banyan.node.chaincode.inprocess.shim;
