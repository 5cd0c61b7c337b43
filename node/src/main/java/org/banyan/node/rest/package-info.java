/**
 * The REST API (see {@code docs/rest.md}): Fabric's gateway over HTTP and JSON for applications that embed no
 * Fabric SDK. {@link org.banyan.node.rest.RestServer} serves it on the JDK's HTTP server beside the gRPC
 * {@link org.banyan.node.gateway.GatewayService}; both call the same {@link org.banyan.node.gateway.Gateway}.
 *
 * <p>Requests carry an API key. The node keeps only each key's SHA-256 ({@link org.banyan.node.rest.ApiKeys}) and
 * the identity the key acts as in its wallet ({@link org.banyan.node.rest.Wallet}): an MSP folder whose private key
 * signs the proposals and transactions of that key's requests, so keys never leave the node — the model of Fabric's
 * REST sample. The pure pieces (routing, error mapping, server-sent event framing, block summaries, request
 * decoding) are separate from the HTTP plumbing so they can be tested without sockets.
 */
package org.banyan.node.rest;
