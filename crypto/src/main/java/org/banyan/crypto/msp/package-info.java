/**
 * Fabric-style X.509 membership service providers: {@link org.banyan.crypto.msp.MspFolder} reads an MSP folder
 * into {@code msp.FabricMSPConfig}; {@link org.banyan.crypto.msp.Msp} validates identities (chain, validity at a
 * given instant, CRLs, NodeOU roles); {@link org.banyan.crypto.msp.MspRegistry} holds a channel's MSPs.
 */
package org.banyan.crypto.msp;
