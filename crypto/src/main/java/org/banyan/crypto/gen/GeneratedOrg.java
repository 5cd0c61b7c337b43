package org.banyan.crypto.gen;

import java.nio.file.Path;
import java.util.List;

/**
 * The folders generated for one organisation.
 *
 * @param mspId e.g. {@code Org1MSP}
 * @param domain e.g. {@code org1.example.com}
 * @param orgDir {@code peerOrganizations/org1.example.com}
 * @param mspDir the org's verifying MSP, the one channel configuration carries
 * @param peerMspDir the node's signing MSP as peer (OU=peer)
 * @param peerTlsDir the peer's {@code ca.crt, server.crt, server.key}
 * @param ordererMspDir the node's signing MSP as orderer (OU=orderer)
 * @param ordererTlsDir the orderer's TLS folder
 * @param adminMspDir {@code Admin@domain} (OU=admin)
 * @param adminTlsDir the admin's {@code ca.crt, client.crt, client.key}
 * @param userMspDirs {@code User1@domain}... (OU=client)
 * @param userTlsDirs the users' TLS folders, same order
 */
public record GeneratedOrg(String mspId, String domain, Path orgDir, Path mspDir,
                           Path peerMspDir, Path peerTlsDir, Path ordererMspDir, Path ordererTlsDir,
                           Path adminMspDir, Path adminTlsDir, List<Path> userMspDirs, List<Path> userTlsDirs) {
    /** Copies the lists. */
    public GeneratedOrg {
        userMspDirs = List.copyOf(userMspDirs);
        userTlsDirs = List.copyOf(userTlsDirs);
    }
}
