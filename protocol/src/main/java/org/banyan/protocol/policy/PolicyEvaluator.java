package org.banyan.protocol.policy;

import com.google.protobuf.ByteString;
import java.time.Instant;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import org.banyan.crypto.msp.MspRegistry;
import org.banyan.crypto.msp.ValidityTime;
import org.banyan.protocol.config.ChannelConfig;
import org.hyperledger.fabric.protos.common.ConfigGroup;
import org.hyperledger.fabric.protos.common.ConfigPolicy;
import org.hyperledger.fabric.protos.common.Policy;

/**
 * Every policy of a channel configuration, compiled once and addressed by Fabric's absolute paths
 * ({@code /Channel/Writers}, {@code /Channel/Application/Writers}, {@code /Channel/Application/Org1MSP/Admins}).
 * Immutable and thread-safe; evaluation is pure (the instant is a parameter, never the clock), so every node
 * reaches the same verdict for the same inputs. Built for one configuration: a configuration update builds a new
 * evaluator.
 */
public final class PolicyEvaluator {
    /** Fabric's name of the root group. */
    public static final String ROOT_GROUP = "Channel";
    /** Fabric's path separator. */
    public static final String SEPARATOR = "/";

    private final SortedMap<String, CompiledPolicy> byPath;
    private final MspRegistry registry;

    private PolicyEvaluator(SortedMap<String, CompiledPolicy> byPath, MspRegistry registry) {
        this.byPath = byPath;
        this.registry = registry;
    }

    /**
     * Compiles every policy of the configuration's tree.
     *
     * @param registry the channel's MSPs (for example {@code MspRegistry.of(config.msps().values())})
     * @throws InvalidPolicyException for a policy Fabric would refuse (unknown type, bad bytes, bad index)
     */
    public static PolicyEvaluator of(ChannelConfig config, MspRegistry registry) {
        SortedMap<String, CompiledPolicy> byPath = new TreeMap<>();
        compileGroup(SEPARATOR + ROOT_GROUP, config.raw().getChannelGroup(), byPath);
        return new PolicyEvaluator(Collections.unmodifiableSortedMap(byPath), registry);
    }

    /** The paths of all policies, sorted. */
    public SortedSet<String> paths() {
        return Collections.unmodifiableSortedSet(new TreeSet<>(byPath.keySet()));
    }

    /**
     * Evaluates the policy at {@code path} for identities whose signatures the caller has already verified.
     * A path that names no policy is unsatisfied (Fabric's reject policy).
     *
     * @param identities encoded {@code msp.SerializedIdentity} values; duplicates count once, identities of MSPs
     *     outside the channel are ignored (and named in the reason if the policy fails)
     * @param now instant for certificate validity windows, from the caller
     */
    public PolicyVerdict evaluate(String path, Collection<ByteString> identities, Instant now) {
        return evaluate(path, Signers.of(identities, registry, ValidityTime.at(now)));
    }

    /** As {@link #evaluate(String, Collection, Instant)}, first verifying each signature (a bad one is ignored). */
    public PolicyVerdict evaluateSignedData(String path, List<SignedData> signedData, Instant now) {
        return evaluateSignedData(path, signedData, ValidityTime.at(now));
    }

    /** As {@link #evaluateSignedData(String, List, Instant)}, validity windows checked as {@code time} says. */
    public PolicyVerdict evaluateSignedData(String path, List<SignedData> signedData, ValidityTime time) {
        return evaluate(path, Signers.verified(signedData, registry, time));
    }

    /** Evaluates the policy at {@code path} against prepared signers. */
    public PolicyVerdict evaluate(String path, Signers signers) {
        CompiledPolicy policy = byPath.get(path);
        if (policy == null) {
            return PolicyVerdict.unsatisfied("no policy " + path);
        }
        PolicyVerdict verdict = policy.evaluate(signers);
        if (verdict.satisfied()) {
            return verdict;
        }
        String ignored = signers.dropped().isEmpty() ? "" : " (ignored: " + String.join("; ", signers.dropped()) + ")";
        return PolicyVerdict.unsatisfied(path + ": " + verdict.reason() + ignored);
    }

    /** Compiles the group's children first (implicit-meta policies refer to them), then its own policies. */
    private static SortedMap<String, CompiledPolicy> compileGroup(String path, ConfigGroup group,
                                                                  Map<String, CompiledPolicy> byPath) {
        SortedMap<String, SortedMap<String, CompiledPolicy>> children = new TreeMap<>();
        for (Map.Entry<String, ConfigGroup> child : new TreeMap<>(group.getGroupsMap()).entrySet()) {
            children.put(child.getKey(), compileGroup(path + SEPARATOR + child.getKey(), child.getValue(), byPath));
        }
        SortedMap<String, CompiledPolicy> own = new TreeMap<>();
        for (Map.Entry<String, ConfigPolicy> entry : new TreeMap<>(group.getPoliciesMap()).entrySet()) {
            String policyPath = path + SEPARATOR + entry.getKey();
            CompiledPolicy compiled = compile(policyPath, entry.getValue().getPolicy(), children);
            own.put(entry.getKey(), compiled);
            byPath.put(policyPath, compiled);
        }
        return own;
    }

    private static CompiledPolicy compile(String path, Policy policy,
                                          SortedMap<String, SortedMap<String, CompiledPolicy>> children) {
        try {
            return switch (Policy.PolicyType.forNumber(policy.getType())) {
                case SIGNATURE -> SignaturePolicies.compile(policy.getValue());
                case IMPLICIT_META -> ImplicitMetaPolicies.compile(policy.getValue(), children);
                case null, default -> throw new InvalidPolicyException("unknown policy type " + policy.getType());
            };
        } catch (InvalidPolicyException e) {
            throw new InvalidPolicyException(path + ": " + e.getMessage(), e);
        }
    }
}
