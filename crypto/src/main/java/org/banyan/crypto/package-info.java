/**
 * Banyan's cryptography: SHA-256 ({@link org.banyan.crypto.Hashes}), the {@link org.banyan.crypto.SigningIdentity}
 * port other modules sign through, and the sub-packages {@code sign} (signatures and providers), {@code x509}
 * (PEM, certificate issuance), {@code msp} (Fabric-style membership validation) and {@code gen} (cryptogen).
 */
package org.banyan.crypto;
