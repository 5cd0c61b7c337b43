/**
 * The peer side of Fabric's chaincode protocol ({@code peer/chaincode_shim.proto}, service
 * {@code protos.ChaincodeSupport/Register}): chaincode processes built on Fabric's unmodified shims (Java, Go,
 * Node) register here, and {@link org.banyan.node.chaincode.ChaincodeRuntime#execute} runs transactions on them
 * over a {@link org.banyan.ledger.simulation.TxSimulator}, returning the chaincode's response, event and read/write
 * set. How a chaincode's requests are served, whatever carries them, is {@link
 * org.banyan.node.chaincode.ChaincodeRequests}, and how an execution ends {@link
 * org.banyan.node.chaincode.ChaincodeAnswers}: the stream handler and the in-process runner
 * ({@code org.banyan.node.chaincode.inprocess}) both use them. See {@code docs/chaincode.md}.
 */
package org.banyan.node.chaincode;
