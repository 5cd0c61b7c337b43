package org.banyan.cli;

import com.google.protobuf.ByteString;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.banyan.crypto.msp.MspFolder;
import org.banyan.protocol.config.ChannelProfile;
import org.banyan.protocol.config.OrgDefinition;

/**
 * Reads back the organisations that {@code crypto generate} wrote ({@code peerOrganizations/orgN.example.com},
 * MSP ID {@code OrgNMSP}) and turns them into a channel profile.
 */
final class NetworkCrypto {
    private static final Pattern ORG_FOLDER = Pattern.compile("org(\\d+)\\.example\\.com");

    /** One organisation's folders. */
    record Org(int number, String mspId, String domain, Path orgDir) {
        Path mspDir() {
            return orgDir.resolve("msp");
        }

        Path ordererDir() {
            return orgDir.resolve("orderers").resolve("orderer0." + domain);
        }

        Path peerMspDir() {
            return orgDir.resolve("peers").resolve("peer0." + domain).resolve("msp");
        }

        Path userMspDir(int user) {
            return orgDir.resolve("users").resolve("User" + user + "@" + domain).resolve("msp");
        }
    }

    private NetworkCrypto() {}

    static List<Org> discover(Path cryptoDir) throws IOException {
        Path base = cryptoDir.resolve("peerOrganizations");
        if (!Files.isDirectory(base)) {
            throw new IllegalArgumentException(cryptoDir + " holds no peerOrganizations/ (run 'banyan crypto generate' first)");
        }
        List<Org> orgs = new ArrayList<>();
        try (Stream<Path> folders = Files.list(base)) {
            for (Path folder : folders.toList()) {
                Matcher matcher = ORG_FOLDER.matcher(folder.getFileName().toString());
                if (matcher.matches()) {
                    int number = Integer.parseInt(matcher.group(1));
                    orgs.add(new Org(number, "Org" + number + "MSP", folder.getFileName().toString(), folder));
                }
            }
        }
        if (orgs.isEmpty()) {
            throw new IllegalArgumentException(base + " holds no orgN.example.com folders");
        }
        orgs.sort(Comparator.comparingInt(Org::number));
        return orgs;
    }

    /** A channel profile over every organisation; consenter ports are {@code basePort + i} on {@code host}. */
    static ChannelProfile profile(List<Org> orgs, String channelId, String host, int basePort,
                                  ChannelProfile.BatchParameters batch) throws IOException {
        List<OrgDefinition> definitions = new ArrayList<>();
        for (int i = 0; i < orgs.size(); i++) {
            Org org = orgs.get(i);
            Path orderer = org.ordererDir();
            definitions.add(new OrgDefinition(MspFolder.load(org.mspDir(), org.mspId()), host, basePort + i,
                    ByteString.copyFrom(Files.readAllBytes(onlyFile(orderer.resolve("msp").resolve("signcerts")))),
                    ByteString.copyFrom(Files.readAllBytes(orderer.resolve("tls").resolve("server.crt")))));
        }
        return new ChannelProfile(channelId, definitions, batch);
    }

    /** The one file in {@code dir} (an MSP's {@code signcerts/} or {@code keystore/}). */
    static Path onlyFile(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            List<Path> list = files.filter(Files::isRegularFile).sorted().toList();
            if (list.size() != 1) {
                throw new IllegalArgumentException(dir + " should hold exactly one file, found " + list.size());
            }
            return list.get(0);
        }
    }
}
