/**
 * Fabric's gateway ({@code gateway.Gateway}) on a Banyan node: {@link org.banyan.node.gateway.Gateway} holds the
 * logic the gRPC service ({@link org.banyan.node.gateway.GatewayService}) and the REST API share — evaluate on one
 * endorser, endorse across organisations as the transaction's policies require
 * ({@link org.banyan.node.gateway.EndorsementPlanner}, pure), submit for ordering, commit status and chaincode
 * events from the local ledger — with Fabric's status codes and error details. Other organisations' endorsers are
 * reached at their anchor peers ({@link org.banyan.node.gateway.RemoteEndorsers}). See {@code docs/gateway.md}.
 */
package org.banyan.node.gateway;
