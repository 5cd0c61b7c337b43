/**
 * How a node runs the chaincode packages installed on it, so that their chaincode registers with the package ID
 * and the endorser finds it: a prebuilt Java package ({@code java}) as a child JVM the node supervises (restarts
 * with backoff, log captured), a {@code ccaas} package by dialling the chaincode server it names (Fabric's
 * {@code protos.Chaincode/Connect}, redialled when the stream ends). {@link
 * org.banyan.node.chaincode.launch.ChaincodeLauncher} is the entry point and the runtime's
 * {@link org.banyan.node.chaincode.ChaincodeStarter}. See {@code docs/chaincode.md}.
 */
package org.banyan.node.chaincode.launch;
