package org.banyan.protocol.policy;

import com.google.protobuf.ByteString;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.banyan.crypto.gen.CryptoGenerator;
import org.banyan.crypto.gen.GeneratedNetwork;
import org.banyan.crypto.gen.GeneratedOrg;
import org.banyan.crypto.msp.MspFolder;
import org.banyan.crypto.msp.MspRegistry;
import org.banyan.crypto.sign.KeyType;
import org.banyan.crypto.x509.LocalSigningIdentity;
import org.banyan.protocol.MalformedTransactionException;
import org.banyan.protocol.config.ChannelConfig;
import org.banyan.protocol.config.ChannelConfigs;
import org.banyan.protocol.config.ChannelProfile;
import org.banyan.protocol.config.OrgDefinition;
import org.hyperledger.fabric.protos.common.Config;

/**
 * Generated crypto for policy tests, made once per JVM: a channel of Org1..Org3 built by {@link ChannelConfigs}
 * and a fourth organisation outside it. Every identity is loaded into memory, then the files are deleted.
 */
final class PolicyFixture {
    static final int ORGS = 3;
    static final int USERS = 4;
    static final PolicyFixture INSTANCE = create();

    final ChannelConfig config;
    final MspRegistry registry;
    final PolicyEvaluator evaluator;
    /** Per organisation (index 0 = Org1, index 3 = the outsider): admin, peer, orderer, then users. */
    private final List<List<LocalSigningIdentity>> identities;

    private PolicyFixture(ChannelConfig config, List<List<LocalSigningIdentity>> identities) {
        this.config = config;
        this.registry = MspRegistry.of(config.msps().values());
        this.evaluator = PolicyEvaluator.of(config, registry);
        this.identities = identities;
    }

    LocalSigningIdentity admin(int org) {
        return identities.get(org - 1).get(0);
    }

    LocalSigningIdentity peer(int org) {
        return identities.get(org - 1).get(1);
    }

    LocalSigningIdentity orderer(int org) {
        return identities.get(org - 1).get(2);
    }

    LocalSigningIdentity client(int org) {
        return user(org, 1);
    }

    /** {@code UserN@orgM}, N from 1. */
    LocalSigningIdentity user(int org, int n) {
        return identities.get(org - 1).get(2 + n);
    }

    /** Every identity of the organisation: admin, peer, orderer, users. */
    List<LocalSigningIdentity> all(int org) {
        return identities.get(org - 1);
    }

    /** The client of Org4, whose MSP is not in the channel. */
    LocalSigningIdentity outsider() {
        return user(ORGS + 1, 1);
    }

    static ByteString bytes(LocalSigningIdentity identity) {
        return ByteString.copyFrom(identity.serialize());
    }

    /** An evaluator over this channel's configuration with its raw tree replaced. */
    PolicyEvaluator evaluatorOf(Config raw) {
        return PolicyEvaluator.of(new ChannelConfig(config.channelId(), config.sequence(), config.msps(),
                config.consenters(), config.batch(), config.consensusType(), raw), registry);
    }

    private static PolicyFixture create() {
        Path dir = null;
        try {
            dir = Files.createTempDirectory("banyan-policy");
            GeneratedNetwork network = CryptoGenerator.generate(dir, ORGS + 1, KeyType.ECDSA_P256, USERS);
            List<OrgDefinition> orgs = new ArrayList<>();
            List<List<LocalSigningIdentity>> identities = new ArrayList<>();
            for (GeneratedOrg org : network.orgs()) {
                List<LocalSigningIdentity> ids = new ArrayList<>();
                ids.add(LocalSigningIdentity.load(org.adminMspDir(), org.mspId()));
                ids.add(LocalSigningIdentity.load(org.peerMspDir(), org.mspId()));
                ids.add(LocalSigningIdentity.load(org.ordererMspDir(), org.mspId()));
                org.userMspDirs().forEach(user -> ids.add(LocalSigningIdentity.load(user, org.mspId())));
                identities.add(List.copyOf(ids));
                if (orgs.size() < ORGS) {
                    ByteString tls = ByteString.copyFrom(Files.readAllBytes(org.ordererTlsDir().resolve("server.crt")));
                    orgs.add(new OrgDefinition(MspFolder.load(org.mspDir(), org.mspId()), "127.0.0.1", 7050 + orgs.size(),
                            ByteString.copyFrom(ids.get(2).certificatePem()), tls));
                }
            }
            ChannelConfig config = ChannelConfigs.fromBlock(ChannelConfigs.genesisBlock(
                    new ChannelProfile("policychannel", orgs, ChannelProfile.BatchParameters.DEFAULTS)));
            return new PolicyFixture(config, List.copyOf(identities));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (MalformedTransactionException e) {
            throw new IllegalStateException(e);
        } finally {
            delete(dir);
        }
    }

    private static void delete(Path dir) {
        if (dir == null) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(file);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
