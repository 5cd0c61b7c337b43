/**
 * Evaluation of Fabric policies: signature policies ({@code n_out_of} / {@code signed_by} over MSP principals)
 * and implicit-meta policies ({@code ANY}/{@code ALL}/{@code MAJORITY} of a sub-policy in the child groups),
 * compiled once from a channel configuration and evaluated against identities with a caller-given instant.
 * Pure: no clock, no threads; results follow Fabric's {@code cauthdsl} and {@code implicitmeta} exactly. See
 * {@code docs/protocol.md}, "Policies".
 */
package org.banyan.protocol.policy;
