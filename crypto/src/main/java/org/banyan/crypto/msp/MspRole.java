package org.banyan.crypto.msp;

/** The roles an identity can be checked for, as Fabric's {@code MSPRole}. */
public enum MspRole {
    /** Any valid identity of the MSP. */
    MEMBER,
    /** OU=admin under NodeOUs, or listed in the MSP's admin certificates. */
    ADMIN,
    /** OU=client under NodeOUs. */
    CLIENT,
    /** OU=peer under NodeOUs. */
    PEER,
    /** OU=orderer under NodeOUs. */
    ORDERER
}
