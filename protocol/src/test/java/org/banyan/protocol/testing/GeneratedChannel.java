package org.banyan.protocol.testing;

import com.google.protobuf.ByteString;
import com.google.protobuf.Timestamp;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.banyan.crypto.SigningIdentity;
import org.banyan.crypto.gen.CryptoGenerator;
import org.banyan.crypto.gen.GeneratedNetwork;
import org.banyan.crypto.gen.GeneratedOrg;
import org.banyan.crypto.msp.MspFolder;
import org.banyan.crypto.sign.KeyType;
import org.banyan.crypto.x509.LocalSigningIdentity;
import org.banyan.protocol.EndorserTransactions;
import org.banyan.protocol.MalformedTransactionException;
import org.banyan.protocol.TxIds;
import org.banyan.protocol.config.ChannelConfig;
import org.banyan.protocol.config.ChannelConfigs;
import org.banyan.protocol.config.ChannelProfile;
import org.banyan.protocol.config.OrgDefinition;
import org.hyperledger.fabric.protos.common.Block;
import org.hyperledger.fabric.protos.common.Envelope;
import org.hyperledger.fabric.protos.ledger.rwset.NsReadWriteSet;
import org.hyperledger.fabric.protos.ledger.rwset.TxReadWriteSet;
import org.hyperledger.fabric.protos.ledger.rwset.kvrwset.KVRWSet;
import org.hyperledger.fabric.protos.ledger.rwset.kvrwset.KVWrite;

/**
 * A channel configuration from really generated crypto ({@link CryptoGenerator}, ECDSA P-256) with every
 * signing identity loaded into memory; the generated files are deleted once loaded. Organisations beyond the
 * channel's are generated too, for identities of MSPs outside the channel. Generation takes about a second, so
 * tests keep one instance per class or JVM.
 */
public final class GeneratedChannel {
    private final Block genesis;
    private final ChannelConfig config;
    /** Per generated organisation (index 0 = Org1): admin, peer, orderer, then the users. */
    private final List<List<LocalSigningIdentity>> identities;

    private GeneratedChannel(Block genesis, ChannelConfig config, List<List<LocalSigningIdentity>> identities) {
        this.genesis = genesis;
        this.config = config;
        this.identities = identities;
    }

    /**
     * @param channelOrgs Org1..OrgN form the channel (consenters in that order)
     * @param outsideOrgs further organisations generated but not in the channel
     * @param usersPerOrg client identities per organisation, at least 1
     */
    public static GeneratedChannel create(String channelId, int channelOrgs, int outsideOrgs, int usersPerOrg) {
        Path dir = null;
        try {
            dir = Files.createTempDirectory("banyan-channel");
            GeneratedNetwork network = CryptoGenerator.generate(dir, channelOrgs + outsideOrgs, KeyType.ECDSA_P256, usersPerOrg);
            List<OrgDefinition> orgs = new ArrayList<>();
            List<List<LocalSigningIdentity>> identities = new ArrayList<>();
            for (GeneratedOrg org : network.orgs()) {
                List<LocalSigningIdentity> ids = new ArrayList<>();
                ids.add(LocalSigningIdentity.load(org.adminMspDir(), org.mspId()));
                ids.add(LocalSigningIdentity.load(org.peerMspDir(), org.mspId()));
                ids.add(LocalSigningIdentity.load(org.ordererMspDir(), org.mspId()));
                org.userMspDirs().forEach(user -> ids.add(LocalSigningIdentity.load(user, org.mspId())));
                identities.add(List.copyOf(ids));
                if (orgs.size() < channelOrgs) {
                    ByteString tls = ByteString.copyFrom(Files.readAllBytes(org.ordererTlsDir().resolve("server.crt")));
                    orgs.add(new OrgDefinition(MspFolder.load(org.mspDir(), org.mspId()), "127.0.0.1", 7050 + orgs.size(),
                            ByteString.copyFrom(ids.get(2).certificatePem()), tls));
                }
            }
            Block genesis = ChannelConfigs.genesisBlock(
                    new ChannelProfile(channelId, orgs, ChannelProfile.BatchParameters.DEFAULTS));
            return new GeneratedChannel(genesis, ChannelConfigs.fromBlock(genesis), List.copyOf(identities));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (MalformedTransactionException e) {
            throw new IllegalStateException("generated genesis does not parse", e);
        } finally {
            delete(dir);
        }
    }

    /** The channel's genesis block, to create a ledger from. */
    public Block genesis() {
        return genesis;
    }

    public ChannelConfig config() {
        return config;
    }

    /** {@code Admin@orgN} (OU=admin); organisations count from 1. */
    public LocalSigningIdentity admin(int org) {
        return identities.get(org - 1).get(0);
    }

    /** {@code peer0.orgN} (OU=peer). */
    public LocalSigningIdentity peer(int org) {
        return identities.get(org - 1).get(1);
    }

    /** {@code orderer0.orgN} (OU=orderer), the consenter identity in the channel configuration. */
    public LocalSigningIdentity orderer(int org) {
        return identities.get(org - 1).get(2);
    }

    /** {@code UserN@orgM} (OU=client), N from 1. */
    public LocalSigningIdentity user(int org, int n) {
        return identities.get(org - 1).get(2 + n);
    }

    /** Every identity of the organisation: admin, peer, orderer, then the users. */
    public List<LocalSigningIdentity> all(int org) {
        return identities.get(org - 1);
    }

    /**
     * A signed endorser transaction (no endorsements) writing {@code key-<i> = value-<i>} in namespace
     * {@code asset}; the nonce is derived from {@code i}, so the tx id is too.
     */
    public static Envelope endorserEnvelope(SigningIdentity creator, String channelId, int i) {
        return endorserEnvelope(creator, channelId, i, List.of());
    }

    /** As {@link #endorserEnvelope(SigningIdentity, String, int)}, endorsed by {@code endorsers}. */
    public static Envelope endorserEnvelope(SigningIdentity creator, String channelId, int i,
                                            List<? extends SigningIdentity> endorsers) {
        KVRWSet rwSet = KVRWSet.newBuilder()
                .addWrites(KVWrite.newBuilder().setKey("key-" + i).setValue(ByteString.copyFromUtf8("value-" + i)))
                .build();
        TxReadWriteSet results = TxReadWriteSet.newBuilder().setDataModel(TxReadWriteSet.DataModel.KV)
                .addNsRwset(NsReadWriteSet.newBuilder().setNamespace("asset").setRwset(rwSet.toByteString()))
                .build();
        byte[] nonce = new byte[TxIds.NONCE_BYTES];
        for (int b = 0; b < Integer.BYTES; b++) {
            nonce[b] = (byte) (i >>> (8 * b));
        }
        return EndorserTransactions.build(new EndorserTransactions.Invocation(channelId, "asset",
                List.of(ByteString.copyFromUtf8("put")), results, Timestamp.newBuilder().setSeconds(i + 1L).build(),
                nonce), creator, List.copyOf(endorsers));
    }

    private static void delete(Path dir) {
        if (dir != null) {
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
