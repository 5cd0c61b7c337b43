/**
 * X.509 for Banyan: PEM codecs ({@link org.banyan.crypto.x509.Pem}), certificate and CRL issuance in
 * cryptogen's profile ({@link org.banyan.crypto.x509.CertificateAuthority}), and
 * {@link org.banyan.crypto.x509.LocalSigningIdentity}, the in-process {@link org.banyan.crypto.SigningIdentity}.
 */
package org.banyan.crypto.x509;
