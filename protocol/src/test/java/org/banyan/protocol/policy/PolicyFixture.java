package org.banyan.protocol.policy;

import com.google.protobuf.ByteString;
import org.banyan.crypto.msp.MspRegistry;
import org.banyan.crypto.x509.LocalSigningIdentity;
import org.banyan.protocol.config.ChannelConfig;
import org.banyan.protocol.testing.GeneratedChannel;
import org.hyperledger.fabric.protos.common.Config;

/**
 * Policy tests' channel, made once per JVM: Org1..Org3 in the channel as {@code ChannelConfigs} builds it, Org4
 * outside, four users each.
 */
final class PolicyFixture {
    static final int ORGS = 3;
    static final int USERS = 4;
    static final PolicyFixture INSTANCE = new PolicyFixture(GeneratedChannel.create("policychannel", ORGS, 1, USERS));

    final GeneratedChannel channel;
    final ChannelConfig config;
    final MspRegistry registry;
    final PolicyEvaluator evaluator;

    private PolicyFixture(GeneratedChannel channel) {
        this.channel = channel;
        this.config = channel.config();
        this.registry = MspRegistry.of(config.msps().values());
        this.evaluator = PolicyEvaluator.of(config, registry);
    }

    LocalSigningIdentity admin(int org) {
        return channel.admin(org);
    }

    LocalSigningIdentity peer(int org) {
        return channel.peer(org);
    }

    LocalSigningIdentity orderer(int org) {
        return channel.orderer(org);
    }

    /**
     * When the generated certificates became valid: tests take their instants from it rather than from the clock
     * (the architecture rules keep clocks out of protocol code, tests included).
     */
    java.time.Instant issuedAt() {
        return client(1).certificate().getNotBefore().toInstant();
    }

    LocalSigningIdentity client(int org) {
        return channel.user(org, 1);
    }

    LocalSigningIdentity user(int org, int n) {
        return channel.user(org, n);
    }

    /** The client of Org4, whose MSP is not in the channel. */
    LocalSigningIdentity outsider() {
        return channel.user(ORGS + 1, 1);
    }

    static ByteString bytes(LocalSigningIdentity identity) {
        return ByteString.copyFrom(identity.serialize());
    }

    /** An evaluator over this channel's configuration with its raw tree replaced. */
    PolicyEvaluator evaluatorOf(Config raw) {
        return PolicyEvaluator.of(new ChannelConfig(config.channelId(), config.sequence(), config.msps(),
                config.consenters(), config.batch(), config.consensusType(), raw), registry);
    }
}
