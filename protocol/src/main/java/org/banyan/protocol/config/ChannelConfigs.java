package org.banyan.protocol.config;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import java.util.List;
import org.banyan.crypto.Hashes;
import org.banyan.protocol.Blocks;
import org.banyan.protocol.MalformedTransactionException;
import org.banyan.protocol.TxIds;
import org.hyperledger.fabric.protos.common.Block;
import org.hyperledger.fabric.protos.common.BlockDataHashingStructure;
import org.hyperledger.fabric.protos.common.Capabilities;
import org.hyperledger.fabric.protos.common.Capability;
import org.hyperledger.fabric.protos.common.ChannelHeader;
import org.hyperledger.fabric.protos.common.Config;
import org.hyperledger.fabric.protos.common.ConfigEnvelope;
import org.hyperledger.fabric.protos.common.ConfigGroup;
import org.hyperledger.fabric.protos.common.ConfigPolicy;
import org.hyperledger.fabric.protos.common.ConfigValue;
import org.hyperledger.fabric.protos.common.Consenter;
import org.hyperledger.fabric.protos.common.Envelope;
import org.hyperledger.fabric.protos.common.HashingAlgorithm;
import org.hyperledger.fabric.protos.common.Header;
import org.hyperledger.fabric.protos.common.HeaderType;
import org.hyperledger.fabric.protos.common.ImplicitMetaPolicy;
import org.hyperledger.fabric.protos.common.MSPRole;
import org.hyperledger.fabric.protos.common.OrdererAddresses;
import org.hyperledger.fabric.protos.common.Orderers;
import org.hyperledger.fabric.protos.common.Payload;
import org.hyperledger.fabric.protos.common.Policy;
import org.hyperledger.fabric.protos.common.SignatureHeader;
import org.hyperledger.fabric.protos.msp.MSPConfig;
import org.hyperledger.fabric.protos.orderer.BatchSize;
import org.hyperledger.fabric.protos.orderer.BatchTimeout;
import org.hyperledger.fabric.protos.orderer.ConsensusType;
import org.hyperledger.fabric.protos.peer.AnchorPeers;
import org.hyperledger.fabric.protos.peer.TxValidationCode;

/**
 * Channel genesis in Fabric's own configuration format ({@code common.Config} inside a CONFIG envelope), so
 * Fabric tooling ({@code configtxlator}) can decode a Banyan genesis block. The tree follows Fabric's:
 * {@code Channel/{Application,Orderer}/<OrgMSP>} with MSP values, Fabric's default policies
 * (Readers/Writers/Admins, {@code MAJORITY Endorsement}, {@code MAJORITY LifecycleEndorsement}),
 * BatchSize/BatchTimeout, ConsensusType {@code BFT} and the consenter mapping ({@code Orderers}) of
 * Fabric 3's BFT orderer.
 *
 * <p>Genesis is deterministic: the same profile gives the same block byte for byte on every node.
 */
public final class ChannelConfigs {
    public static final String APPLICATION = "Application";
    public static final String ORDERER = "Orderer";
    public static final String MSP_KEY = "MSP";
    /** Fabric's key of an application organisation's anchor peers. */
    public static final String ANCHOR_PEERS_KEY = "AnchorPeers";
    public static final String CONSENSUS_BFT = "BFT";
    private static final String ADMINS = "Admins";

    private ChannelConfigs() {}

    /** Block 0 of a channel: one unsigned CONFIG envelope holding the configuration, LAST_CONFIG = 0. */
    public static Block genesisBlock(ChannelProfile profile) {
        Config config = Config.newBuilder().setSequence(0).setChannelGroup(channelGroup(profile)).build();
        // No clock and no randomness: the nonce is derived from the configuration, so every node that builds
        // genesis from the same profile gets the same tx ID and the same block hash.
        byte[] configBytes = config.toByteArray();
        byte[] nonce = java.util.Arrays.copyOf(Hashes.sha256(configBytes), TxIds.NONCE_BYTES);
        ChannelHeader channelHeader = ChannelHeader.newBuilder()
                .setType(HeaderType.CONFIG_VALUE)
                .setChannelId(profile.channelId())
                .setTxId(TxIds.compute(nonce, new byte[0]))
                .build();
        Payload payload = Payload.newBuilder()
                .setHeader(Header.newBuilder()
                        .setChannelHeader(channelHeader.toByteString())
                        .setSignatureHeader(SignatureHeader.newBuilder().setNonce(ByteString.copyFrom(nonce))
                                .build().toByteString()))
                .setData(ConfigEnvelope.newBuilder().setConfig(config).build().toByteString())
                .build();
        Envelope envelope = Envelope.newBuilder().setPayload(payload.toByteString()).build();
        Block block = Blocks.create(0, ByteString.EMPTY, List.of(envelope.toByteString()));
        return Blocks.withValidationCodes(Blocks.withLastConfig(block, 0), List.of(TxValidationCode.VALID));
    }

    /** Reads the configuration back from a CONFIG block (genesis or a later config block). */
    public static ChannelConfig fromBlock(Block block) throws MalformedTransactionException {
        if (block.getData().getDataCount() != 1) {
            throw new MalformedTransactionException(TxValidationCode.BAD_PAYLOAD,
                    "a config block holds exactly one envelope, found " + block.getData().getDataCount());
        }
        try {
            Envelope envelope = Blocks.envelope(block, 0);
            Payload payload = Payload.parseFrom(envelope.getPayload());
            ChannelHeader header = ChannelHeader.parseFrom(payload.getHeader().getChannelHeader());
            if (header.getType() != HeaderType.CONFIG_VALUE) {
                throw new MalformedTransactionException(TxValidationCode.UNKNOWN_TX_TYPE,
                        "block " + block.getHeader().getNumber() + " is not a config block (type " + header.getType() + ")");
            }
            ConfigEnvelope configEnvelope = ConfigEnvelope.parseFrom(payload.getData());
            return ChannelConfig.parse(header.getChannelId(), configEnvelope.getConfig());
        } catch (InvalidProtocolBufferException e) {
            throw new MalformedTransactionException(TxValidationCode.BAD_PAYLOAD, "malformed config block: " + e.getMessage(), e);
        }
    }

    private static ConfigGroup channelGroup(ChannelProfile profile) {
        ConfigGroup.Builder application = ConfigGroup.newBuilder().setModPolicy(ADMINS)
                .putValues("Capabilities", value(capabilities("V2_5")))
                .putPolicies("Readers", policy(Policies.implicitMeta(ImplicitMetaPolicy.Rule.ANY, "Readers")))
                .putPolicies("Writers", policy(Policies.implicitMeta(ImplicitMetaPolicy.Rule.ANY, "Writers")))
                .putPolicies(ADMINS, policy(Policies.implicitMeta(ImplicitMetaPolicy.Rule.MAJORITY, ADMINS)))
                .putPolicies("Endorsement", policy(Policies.implicitMeta(ImplicitMetaPolicy.Rule.MAJORITY, "Endorsement")))
                .putPolicies("LifecycleEndorsement",
                        policy(Policies.implicitMeta(ImplicitMetaPolicy.Rule.MAJORITY, "Endorsement")));
        ConfigGroup.Builder orderer = ConfigGroup.newBuilder().setModPolicy(ADMINS)
                .putValues("Capabilities", value(capabilities("V2_0")))
                .putValues("BatchSize", value(BatchSize.newBuilder()
                        .setMaxMessageCount(profile.batch().maxMessageCount())
                        .setAbsoluteMaxBytes(profile.batch().absoluteMaxBytes())
                        .setPreferredMaxBytes(profile.batch().preferredMaxBytes()).build()))
                .putValues("BatchTimeout", value(BatchTimeout.newBuilder()
                        .setTimeout(profile.batch().batchTimeoutMillis() + "ms").build()))
                .putValues("ConsensusType", value(ConsensusType.newBuilder().setType(CONSENSUS_BFT)
                        .setState(ConsensusType.State.STATE_NORMAL).build()))
                .putValues("Orderers", value(consenters(profile)))
                .putPolicies("Readers", policy(Policies.implicitMeta(ImplicitMetaPolicy.Rule.ANY, "Readers")))
                .putPolicies("Writers", policy(Policies.implicitMeta(ImplicitMetaPolicy.Rule.ANY, "Writers")))
                .putPolicies(ADMINS, policy(Policies.implicitMeta(ImplicitMetaPolicy.Rule.MAJORITY, ADMINS)))
                .putPolicies("BlockValidation", policy(Policies.implicitMeta(ImplicitMetaPolicy.Rule.ANY, "Writers")));
        for (OrgDefinition org : profile.orgs()) {
            application.putGroups(org.mspId(), orgGroup(org, false));
            orderer.putGroups(org.mspId(), orgGroup(org, true));
        }
        return ConfigGroup.newBuilder().setModPolicy(ADMINS)
                .putValues("HashingAlgorithm", value(HashingAlgorithm.newBuilder().setName("SHA256").build()))
                // Fabric's only allowed width: the data hash is over the plain concatenation (no Merkle tree).
                .putValues("BlockDataHashingStructure",
                        value(BlockDataHashingStructure.newBuilder().setWidth(0xFFFFFFFF).build()))
                .putValues("Capabilities", value(capabilities("V3_0")))
                .putPolicies("Readers", policy(Policies.implicitMeta(ImplicitMetaPolicy.Rule.ANY, "Readers")))
                .putPolicies("Writers", policy(Policies.implicitMeta(ImplicitMetaPolicy.Rule.ANY, "Writers")))
                .putPolicies(ADMINS, policy(Policies.implicitMeta(ImplicitMetaPolicy.Rule.MAJORITY, ADMINS)))
                .putGroups(APPLICATION, application.build())
                .putGroups(ORDERER, orderer.build())
                .build();
    }

    /** An organisation's group: its MSP and Fabric's sample policies (configtx.yaml). */
    private static ConfigGroup orgGroup(OrgDefinition org, boolean ordererSide) {
        String mspId = org.mspId();
        MSPConfig msp = MSPConfig.newBuilder().setType(0).setConfig(org.msp().toByteString()).build();
        ConfigGroup.Builder group = ConfigGroup.newBuilder().setModPolicy(ADMINS)
                .putValues(MSP_KEY, value(msp))
                .putPolicies("Readers", policy(Policies.anyOfRoles(mspId, List.of(MSPRole.MSPRoleType.ADMIN,
                        MSPRole.MSPRoleType.PEER, MSPRole.MSPRoleType.CLIENT, MSPRole.MSPRoleType.ORDERER))))
                .putPolicies("Writers", policy(Policies.anyOfRoles(mspId, List.of(MSPRole.MSPRoleType.ADMIN,
                        MSPRole.MSPRoleType.CLIENT, MSPRole.MSPRoleType.ORDERER))))
                .putPolicies(ADMINS, policy(Policies.anyOfRoles(mspId, List.of(MSPRole.MSPRoleType.ADMIN))));
        if (ordererSide) {
            group.putValues("Endpoints", value(OrdererAddresses.newBuilder()
                    .addAddresses(org.consenterHost() + ":" + org.consenterPort()).build()));
        } else {
            group.putPolicies("Endorsement", policy(Policies.anyOfRoles(mspId, List.of(MSPRole.MSPRoleType.PEER))));
            if (!org.anchorPeers().isEmpty()) {
                // As configtxgen writes an organisation's AnchorPeers: where peers of other organisations
                // (and their gateways) reach this organisation's peers.
                group.putValues(ANCHOR_PEERS_KEY, value(AnchorPeers.newBuilder()
                        .addAllAnchorPeers(org.anchorPeers()).build()));
            }
        }
        return group.build();
    }

    private static Orderers consenters(ChannelProfile profile) {
        Orderers.Builder orderers = Orderers.newBuilder();
        for (int i = 0; i < profile.orgs().size(); i++) {
            OrgDefinition org = profile.orgs().get(i);
            orderers.addConsenterMapping(Consenter.newBuilder()
                    .setId(i + 1)
                    .setHost(org.consenterHost())
                    .setPort(org.consenterPort())
                    .setMspId(org.mspId())
                    .setIdentity(org.consenterIdentity())
                    .setClientTlsCert(org.consenterTlsCertificate())
                    .setServerTlsCert(org.consenterTlsCertificate()));
        }
        return orderers.build();
    }

    private static Capabilities capabilities(String name) {
        return Capabilities.newBuilder().putCapabilities(name, Capability.getDefaultInstance()).build();
    }

    private static ConfigValue value(Message message) {
        return ConfigValue.newBuilder().setModPolicy(ADMINS).setValue(message.toByteString()).build();
    }

    private static ConfigPolicy policy(Policy policy) {
        return ConfigPolicy.newBuilder().setModPolicy(ADMINS).setPolicy(policy).build();
    }

}
