package org.banyan.crypto.gen;

import java.nio.file.Path;
import java.util.List;

/**
 * What {@link CryptoGenerator#generate} wrote.
 *
 * @param outDir the output root
 * @param orgs one entry per organisation, Org1 first
 */
public record GeneratedNetwork(Path outDir, List<GeneratedOrg> orgs) {
    /** Copies the list. */
    public GeneratedNetwork {
        orgs = List.copyOf(orgs);
    }
}
