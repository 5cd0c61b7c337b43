/**
 * Signing and verification for ECDSA P-256 and Ed25519 with a measured choice of JCA provider.
 * {@link org.banyan.crypto.sign.SignatureVerifier} gives the same verdict on every provider because Banyan
 * enforces strict DER and low-S itself; {@link org.banyan.crypto.sign.CryptoProviders} reports what loads here.
 */
package org.banyan.crypto.sign;
