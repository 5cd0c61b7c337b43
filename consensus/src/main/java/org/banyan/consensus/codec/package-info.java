/**
 * Byte encodings of the consensus core's values, still pure (no IO): {@link org.banyan.consensus.codec.WireCodec}
 * for {@link org.banyan.consensus.Message}s between replicas and
 * {@link org.banyan.consensus.codec.SafetyStateCodec} for the safety state and uncommitted blocks the node fsyncs.
 * Decoding is safe on hostile input: every count and length is bounded by {@link
 * org.banyan.consensus.codec.CodecLimits} before anything is allocated, and every failure is a checked, typed
 * exception. See {@code docs/consensus.md}, "Wire and disk formats".
 */
package org.banyan.consensus.codec;
