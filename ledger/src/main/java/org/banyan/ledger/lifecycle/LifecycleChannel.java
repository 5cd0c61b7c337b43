package org.banyan.ledger.lifecycle;

import java.util.Objects;
import java.util.SortedSet;
import java.util.TreeSet;
import org.banyan.crypto.msp.MspRegistry;
import org.banyan.protocol.config.ChannelConfig;
import org.banyan.protocol.policy.PolicyEvaluator;

/**
 * What {@code _lifecycle} needs to know about one channel: its ID, organisations, MSPs and compiled policies.
 * Immutable and thread-safe; built for one channel configuration — a configuration update builds a new one.
 */
public final class LifecycleChannel {
    private final ChannelConfig config;
    private final MspRegistry registry;
    private final PolicyEvaluator policies;
    private final SortedSet<String> policyPaths;

    /**
     * @param registry the channel's MSPs, e.g. {@code MspRegistry.of(config.msps().values())}
     * @param policies the channel's policies, e.g. {@code PolicyEvaluator.of(config, registry)}
     */
    public LifecycleChannel(ChannelConfig config, MspRegistry registry, PolicyEvaluator policies) {
        this.config = Objects.requireNonNull(config, "config");
        this.registry = Objects.requireNonNull(registry, "registry");
        this.policies = Objects.requireNonNull(policies, "policies");
        this.policyPaths = policies.paths();
    }

    /** The channel's MSPs and policies compiled from its configuration. */
    public static LifecycleChannel of(ChannelConfig config) {
        MspRegistry registry = MspRegistry.of(config.msps().values());
        return new LifecycleChannel(config, registry, PolicyEvaluator.of(config, registry));
    }

    public String channelId() {
        return config.channelId();
    }

    public ChannelConfig config() {
        return config;
    }

    public MspRegistry registry() {
        return registry;
    }

    public PolicyEvaluator policies() {
        return policies;
    }

    /** The MSP IDs of the application organisations, sorted. */
    public SortedSet<String> orgs() {
        return new TreeSet<>(config.msps().keySet());
    }

    /** Whether the configuration defines a policy at this absolute path. */
    public boolean hasPolicy(String path) {
        return policyPaths.contains(path);
    }

    /** Fabric's per-organisation endorsement policy path, {@code /Channel/Application/<org>/Endorsement}. */
    static String orgEndorsementPolicy(String mspId) {
        return "/Channel/Application/" + mspId + "/Endorsement";
    }
}
