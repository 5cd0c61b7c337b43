/**
 * Consenter-to-consenter transport: gRPC over mutual TLS, each end identified by the TLS certificate the
 * channel configuration lists for it ({@code common.Consenter.client_tls_cert} / {@code server_tls_cert}).
 * Frames are opaque bytes tagged with a channel ID; the consensus codec fills them. See {@code docs/node.md}.
 */
package org.banyan.node.transport;
