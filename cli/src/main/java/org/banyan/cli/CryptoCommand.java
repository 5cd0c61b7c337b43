package org.banyan.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.banyan.crypto.gen.CryptoGenerator;
import org.banyan.crypto.gen.GeneratedNetwork;
import org.banyan.crypto.gen.GeneratedOrg;
import org.banyan.crypto.sign.KeyType;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "crypto", mixinStandardHelpOptions = true,
        description = "Identities for organisations (Fabric's cryptogen).",
        subcommands = CryptoCommand.Generate.class)
final class CryptoCommand extends CommandGroup {

    @Command(name = "generate", mixinStandardHelpOptions = true,
            description = {"Generates, per organisation, a root CA and a TLS CA, and certificates for its node "
                    + "(peer and orderer), an admin and users, in Fabric's MSP folder layout with NodeOUs.",
                    "MSP IDs are Org1MSP, Org2MSP, ...; folders are OUT/peerOrganizations/orgN.example.com."})
    static final class Generate implements Callable<Integer> {
        @Option(names = "--orgs", required = true, description = "Number of organisations (1 to 100).")
        int orgs;

        @Option(names = "--out", required = true, description = "Output directory (created; must not hold an earlier network).")
        Path out;

        @Option(names = "--key-type", defaultValue = "ecdsa-p256",
                description = "Signing key type: ecdsa-p256 (Fabric's default) or ed25519. Default: ${DEFAULT-VALUE}.")
        String keyType;

        @Option(names = "--users", defaultValue = "1", description = "Client users per organisation. Default: ${DEFAULT-VALUE}.")
        int users;

        @Override
        public Integer call() {
            GeneratedNetwork network = CryptoGenerator.generate(out, orgs, parseKeyType(keyType), users);
            for (GeneratedOrg org : network.orgs()) {
                System.out.printf("%-10s %s%n", org.mspId(), org.orgDir().toAbsolutePath());
            }
            System.out.printf("generated %d organisation(s) with %s keys in %s%n", network.orgs().size(),
                    keyType, out.toAbsolutePath());
            return ExitCodes.OK;
        }
    }

    static KeyType parseKeyType(String text) {
        return switch (text.toLowerCase(java.util.Locale.ROOT)) {
            case "ecdsa-p256", "ecdsa", "p256", "p-256" -> KeyType.ECDSA_P256;
            case "ed25519" -> KeyType.ED25519;
            default -> throw new IllegalArgumentException("unknown key type '" + text + "': use ecdsa-p256 or ed25519");
        };
    }
}
