package org.banyan.crypto.msp;

import com.google.protobuf.ByteString;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.hyperledger.fabric.protos.msp.FabricCryptoConfig;
import org.hyperledger.fabric.protos.msp.FabricMSPConfig;
import org.hyperledger.fabric.protos.msp.FabricNodeOUs;
import org.hyperledger.fabric.protos.msp.FabricOUIdentifier;
import org.hyperledger.fabric.protos.msp.MSPConfig;

/**
 * Reads a Fabric MSP folder into the protobuf {@code msp.FabricMSPConfig} that channel configuration carries,
 * as Fabric's {@code msp.GetVerifyingMspConfig}: {@code cacerts/}, {@code intermediatecerts/},
 * {@code admincerts/}, {@code tlscacerts/}, {@code tlsintermediatecerts/}, {@code crls/} and {@code config.yaml}.
 * Files are taken in name order so the same folder always yields the same bytes. The signing identity is
 * never included. Stateless.
 */
public final class MspFolder {
    /** Fabric's {@code FABRIC} MSP provider type in {@code MSPConfig.type}. */
    public static final int FABRIC_MSP_TYPE = 0;

    /** At most this many files per sub-folder are read. */
    public static final int FILES_PER_FOLDER_MAX = 1024;

    private MspFolder() {}

    /**
     * Loads the verifying MSP definition.
     *
     * @param mspDir the MSP folder
     * @param mspId the MSP's id, e.g. {@code Org1MSP}
     * @throws MspConfigException when {@code cacerts/} is empty or config.yaml references a missing file
     * @throws UncheckedIOException when the folder cannot be read
     */
    public static FabricMSPConfig load(Path mspDir, String mspId) {
        FabricMSPConfig.Builder config = FabricMSPConfig.newBuilder()
                .setName(mspId)
                .addAllRootCerts(read(mspDir.resolve("cacerts")))
                .addAllIntermediateCerts(read(mspDir.resolve("intermediatecerts")))
                .addAllAdmins(read(mspDir.resolve("admincerts")))
                .addAllTlsRootCerts(read(mspDir.resolve("tlscacerts")))
                .addAllTlsIntermediateCerts(read(mspDir.resolve("tlsintermediatecerts")))
                .addAllRevocationList(read(mspDir.resolve("crls")))
                // Fabric's defaults: bccsp.SHA2 and bccsp.SHA256.
                .setCryptoConfig(FabricCryptoConfig.newBuilder()
                        .setSignatureHashFamily("SHA2")
                        .setIdentityIdentifierHashFunction("SHA256"));
        if (config.getRootCertsCount() == 0) {
            throw new MspConfigException("MSP folder " + mspDir + " has no cacerts");
        }
        Path yaml = mspDir.resolve("config.yaml");
        if (Files.isRegularFile(yaml)) {
            NodeOus nodeOus = NodeOus.decode(readString(yaml));
            if (nodeOus.enabled()) {
                config.setFabricNodeOus(toProto(mspDir, nodeOus));
            }
        }
        return config.build();
    }

    /** The {@code MSPConfig{type FABRIC, config}} wrapper a channel's MSP value holds. */
    public static MSPConfig wrap(FabricMSPConfig config) {
        return MSPConfig.newBuilder().setType(FABRIC_MSP_TYPE).setConfig(config.toByteString()).build();
    }

    private static FabricNodeOUs toProto(Path mspDir, NodeOus nodeOus) {
        FabricNodeOUs.Builder out = FabricNodeOUs.newBuilder().setEnable(true);
        for (Map.Entry<MspRole, NodeOus.OuIdentifier> entry : nodeOus.identifiers().entrySet()) {
            FabricOUIdentifier id = toProto(mspDir, entry.getValue());
            switch (entry.getKey()) {
                case CLIENT -> out.setClientOuIdentifier(id);
                case PEER -> out.setPeerOuIdentifier(id);
                case ADMIN -> out.setAdminOuIdentifier(id);
                case ORDERER -> out.setOrdererOuIdentifier(id);
                case MEMBER -> throw new AssertionError("NodeOus rejects MEMBER");
            }
        }
        return out.build();
    }

    private static FabricOUIdentifier toProto(Path mspDir, NodeOus.OuIdentifier id) {
        FabricOUIdentifier.Builder out = FabricOUIdentifier.newBuilder()
                .setOrganizationalUnitIdentifier(id.organizationalUnit());
        if (!id.certificatePath().isEmpty()) {
            Path certificate = mspDir.resolve(id.certificatePath()).normalize();
            if (!certificate.startsWith(mspDir.normalize()) || !Files.isRegularFile(certificate)) {
                throw new MspConfigException("config.yaml certificate not found in MSP folder: " + id.certificatePath());
            }
            out.setCertificate(ByteString.copyFrom(readBytes(certificate)));
        }
        return out.build();
    }

    private static List<ByteString> read(Path dir) {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(dir)) {
            List<Path> sorted = files.filter(Files::isRegularFile).sorted().toList();
            if (sorted.size() > FILES_PER_FOLDER_MAX) {
                throw new MspConfigException(dir + " holds more than " + FILES_PER_FOLDER_MAX + " files");
            }
            return sorted.stream().map(file -> ByteString.copyFrom(readBytes(file))).toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dir, e);
        }
    }

    private static byte[] readBytes(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    private static String readString(Path file) {
        return new String(readBytes(file), StandardCharsets.UTF_8);
    }
}
