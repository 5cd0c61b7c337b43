package org.banyan.protocol.config;

import com.google.protobuf.InvalidProtocolBufferException;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import org.banyan.protocol.MalformedTransactionException;
import org.hyperledger.fabric.protos.common.Config;
import org.hyperledger.fabric.protos.common.ConfigGroup;
import org.hyperledger.fabric.protos.common.ConfigValue;
import org.hyperledger.fabric.protos.common.Consenter;
import org.hyperledger.fabric.protos.common.Orderers;
import org.hyperledger.fabric.protos.msp.FabricMSPConfig;
import org.hyperledger.fabric.protos.msp.MSPConfig;
import org.hyperledger.fabric.protos.orderer.BatchSize;
import org.hyperledger.fabric.protos.orderer.BatchTimeout;
import org.hyperledger.fabric.protos.orderer.ConsensusType;
import org.hyperledger.fabric.protos.peer.AnchorPeer;
import org.hyperledger.fabric.protos.peer.AnchorPeers;
import org.hyperledger.fabric.protos.peer.TxValidationCode;

/**
 * The decoded parts of a channel's configuration that Banyan acts on. The full {@code common.Config} stays
 * available for policy evaluation.
 *
 * @param msps every organisation's MSP definition, by MSP ID (sorted, so iteration is deterministic)
 * @param consenters the BFT consenters in ID order
 */
public record ChannelConfig(String channelId, long sequence, SortedMap<String, FabricMSPConfig> msps,
                            List<Consenter> consenters, ChannelProfile.BatchParameters batch,
                            String consensusType, Config raw) {

    static ChannelConfig parse(String channelId, Config config) throws MalformedTransactionException {
        ConfigGroup channel = config.getChannelGroup();
        ConfigGroup application = group(channel, ChannelConfigs.APPLICATION);
        ConfigGroup orderer = group(channel, ChannelConfigs.ORDERER);
        try {
            SortedMap<String, FabricMSPConfig> msps = new TreeMap<>();
            for (Map.Entry<String, ConfigGroup> org : application.getGroupsMap().entrySet()) {
                MSPConfig msp = MSPConfig.parseFrom(value(org.getValue(), ChannelConfigs.MSP_KEY).getValue());
                FabricMSPConfig fabricMsp = FabricMSPConfig.parseFrom(msp.getConfig());
                if (!fabricMsp.getName().equals(org.getKey())) {
                    throw bad("organisation group " + org.getKey() + " carries MSP " + fabricMsp.getName());
                }
                msps.put(org.getKey(), fabricMsp);
            }
            BatchSize batchSize = BatchSize.parseFrom(value(orderer, "BatchSize").getValue());
            BatchTimeout batchTimeout = BatchTimeout.parseFrom(value(orderer, "BatchTimeout").getValue());
            ConsensusType consensusType = ConsensusType.parseFrom(value(orderer, "ConsensusType").getValue());
            List<Consenter> consenters = new ArrayList<>(
                    Orderers.parseFrom(value(orderer, "Orderers").getValue()).getConsenterMappingList());
            consenters.sort((a, b) -> Integer.compareUnsigned(a.getId(), b.getId()));
            ChannelProfile.BatchParameters batch = new ChannelProfile.BatchParameters(batchSize.getMaxMessageCount(),
                    batchSize.getAbsoluteMaxBytes(), batchSize.getPreferredMaxBytes(),
                    parseDurationMillis(batchTimeout.getTimeout()));
            return new ChannelConfig(channelId, config.getSequence(), Collections.unmodifiableSortedMap(msps),
                    List.copyOf(consenters), batch, consensusType.getType(), config);
        } catch (InvalidProtocolBufferException | IllegalArgumentException e) {
            throw new MalformedTransactionException(TxValidationCode.BAD_PAYLOAD,
                    "channel " + channelId + ": invalid configuration: " + e.getMessage(), e);
        }
    }

    /**
     * The anchor peers an application organisation announces in the channel (Fabric's {@code AnchorPeers}
     * value), in the order written; empty for an organisation that announces none or is not in the channel.
     *
     * @throws MalformedTransactionException when the value does not decode
     */
    public List<AnchorPeer> anchorPeers(String mspId) throws MalformedTransactionException {
        ConfigGroup org = raw.getChannelGroup().getGroupsOrDefault(ChannelConfigs.APPLICATION,
                ConfigGroup.getDefaultInstance()).getGroupsOrDefault(mspId, null);
        ConfigValue value = org == null ? null : org.getValuesOrDefault(ChannelConfigs.ANCHOR_PEERS_KEY, null);
        if (value == null) {
            return List.of();
        }
        try {
            return List.copyOf(AnchorPeers.parseFrom(value.getValue()).getAnchorPeersList());
        } catch (InvalidProtocolBufferException e) {
            throw new MalformedTransactionException(TxValidationCode.BAD_PAYLOAD,
                    "channel " + channelId + ": anchor peers of " + mspId + " do not decode", e);
        }
    }

    /** Fabric writes durations in Go syntax ("2s", "500ms", "1m"). */
    static long parseDurationMillis(String text) {
        String t = text.trim();
        try {
            if (t.endsWith("ms")) {
                return Long.parseLong(t.substring(0, t.length() - 2));
            }
            if (t.endsWith("s")) {
                return Math.round(Double.parseDouble(t.substring(0, t.length() - 1)) * 1000);
            }
            if (t.endsWith("m")) {
                return Math.round(Double.parseDouble(t.substring(0, t.length() - 1)) * 60_000);
            }
            return Duration.parse(t).toMillis();
        } catch (NumberFormatException | DateTimeParseException e) {
            throw new IllegalArgumentException("batch timeout '" + text + "' is not a duration", e);
        }
    }

    private static ConfigGroup group(ConfigGroup parent, String name) throws MalformedTransactionException {
        ConfigGroup group = parent.getGroupsMap().get(name);
        if (group == null) {
            throw bad("missing config group " + name);
        }
        return group;
    }

    private static ConfigValue value(ConfigGroup group, String name) throws MalformedTransactionException {
        ConfigValue value = group.getValuesMap().get(name);
        if (value == null) {
            throw bad("missing config value " + name);
        }
        return value;
    }

    private static MalformedTransactionException bad(String message) {
        return new MalformedTransactionException(TxValidationCode.BAD_PAYLOAD, message);
    }
}
