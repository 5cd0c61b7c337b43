/**
 * The peer side of Fabric's chaincode protocol ({@code peer/chaincode_shim.proto}, service
 * {@code protos.ChaincodeSupport/Register}): chaincode processes built on Fabric's unmodified shims (Java, Go,
 * Node) register here, and {@link org.banyan.node.chaincode.ChaincodeRuntime#execute} runs transactions on them
 * over a {@link org.banyan.ledger.simulation.TxSimulator}, returning the chaincode's response, event and read/write
 * set. See {@code docs/chaincode.md}.
 */
package org.banyan.node.chaincode;
