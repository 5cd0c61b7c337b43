/**
 * Evaluation of Fabric policies: signature policies ({@code n_out_of} / {@code signed_by} over MSP principals)
 * and implicit-meta policies ({@code ANY}/{@code ALL}/{@code MAJORITY} of a sub-policy in the child groups),
 * compiled once from a channel configuration and evaluated against identities with a caller-given instant.
 * Pure: no clock, no threads; results follow Fabric's {@code cauthdsl} and {@code implicitmeta} exactly.
 * {@link org.banyan.protocol.policy.PolicyDsl} reads and writes Fabric's policy syntax
 * ({@code AND('Org1MSP.peer','Org2MSP.peer')}). See {@code docs/protocol.md}, "Policies", and
 * {@code docs/validation.md}.
 */
package org.banyan.protocol.policy;
