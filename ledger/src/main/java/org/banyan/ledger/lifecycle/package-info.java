/**
 * Fabric 2.x chaincode lifecycle ({@code _lifecycle}): packages installed per node
 * ({@link org.banyan.ledger.lifecycle.PackageStore}, {@link org.banyan.ledger.lifecycle.ChaincodePackage}),
 * definitions approved per organisation and committed per channel by the system chaincode
 * ({@link org.banyan.ledger.lifecycle.LifecycleChaincode}, running over a
 * {@link org.banyan.ledger.simulation.TxSimulator} so its state changes are ordinary validated transactions),
 * the committed definitions validation uses ({@link org.banyan.ledger.lifecycle.LifecycleDefinitions}), and what
 * an endorser checks before running a chaincode ({@link org.banyan.ledger.lifecycle.InvocableChaincode}).
 * Fabric's function names, protobuf arguments and results, state layout and messages; see
 * {@code docs/lifecycle.md}. No clock is read: instants are parameters.
 */
package org.banyan.ledger.lifecycle;
