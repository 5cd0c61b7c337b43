package org.banyan.ledger.lifecycle;

import com.google.protobuf.ByteString;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import org.banyan.ledger.validation.ChaincodeDefinition;
import org.banyan.ledger.validation.ChaincodeDefinitions;
import org.banyan.ledger.validation.CommittedLedger;
import org.banyan.ledger.validation.EndorsementPolicy;
import org.banyan.protocol.Blocks;
import org.banyan.protocol.MalformedTransactionException;
import org.banyan.protocol.ParsedTransaction;
import org.banyan.protocol.TransactionParser;
import org.hyperledger.fabric.protos.common.Block;
import org.hyperledger.fabric.protos.ledger.rwset.kvrwset.KVMetadataWrite;
import org.hyperledger.fabric.protos.ledger.rwset.kvrwset.KVWrite;
import org.hyperledger.fabric.protos.peer.TxValidationCode;

/**
 * The chaincode definitions validation uses, read from committed {@code _lifecycle} state — Fabric's
 * {@code ValidatorCommitter.ValidationInfo} and {@code CollectionValidationInfo}:
 *
 * <ul>
 *   <li>a chaincode is defined once {@code CommitChaincodeDefinition} committed; its endorsement policy is the
 *       committed validation parameter (an {@code ApplicationPolicy}), compiled;
 *   <li>{@value LifecycleNamespace#NAME} itself is always defined: its writes must satisfy the channel's
 *       {@value LifecycleNamespace#LIFECYCLE_ENDORSEMENT_POLICY} (a majority of organisations' members when the
 *       channel has none), except an organisation's approval keys ({@code _implicit_org_<MSP>/…}), which must
 *       satisfy {@code /Channel/Application/<MSP>/Endorsement} (any member of the organisation when the channel
 *       has none), as Fabric checks writes to an organisation's implicit collection. A key under
 *       {@value LifecycleNamespace#IMPLICIT_ORG_PREFIX} naming no organisation of the channel is refused.
 * </ul>
 *
 * <p>Block {@code n} is validated against the definitions committed through block {@code n − 1}: every answer
 * is read from committed state (through a cache) and the caller validates block {@code n} between the commits
 * of {@code n − 1} and {@code n}, so an upgrade committed in block {@code n} takes effect from block {@code n + 1}.
 *
 * <p>The cache: call {@link #blockCommitted} with each block once {@code ChannelLedger.commit} has returned
 * for it; it forgets the definitions the block's valid transactions changed. Until it has been told about every
 * block up to the ledger's height, the cache is bypassed and definitions are read from state, so a missed call
 * costs reads, never a stale answer. Thread-safe; built for one channel configuration.
 */
public final class LifecycleDefinitions implements ChaincodeDefinitions {
    /** Definitions cached at most; past it the cache is emptied (a definition costs a few state reads). */
    public static final int CACHED_DEFINITIONS_MAX = 10_000;

    private final LifecycleChannel channel;
    private final CommittedLedger ledger;
    private final LifecycleState state;
    private final ChaincodeDefinition lifecycle;
    private final Map<String, Optional<ChaincodeDefinition>> cache = new ConcurrentHashMap<>();
    private final ReentrantLock cacheLock = new ReentrantLock();
    /** Ledger height the cache is current for; guarded by {@link #cacheLock} for writes. */
    private volatile long syncedHeight;
    /** Bumped on every invalidation, so a definition read before it is never cached after it. */
    private volatile long generation;

    /**
     * @param ledger the channel's committed ledger, e.g. {@code CommittedLedger.of(channelLedger)}; its height
     *     when this is built is taken as the height the (empty) cache is current for
     */
    public LifecycleDefinitions(LifecycleChannel channel, CommittedLedger ledger) {
        this.channel = Objects.requireNonNull(channel, "channel");
        this.ledger = Objects.requireNonNull(ledger, "ledger");
        this.state = LifecycleState.readOnly(ledger);
        this.lifecycle = lifecycleDefinition(channel);
        this.syncedHeight = ledger.height();
    }

    @Override
    public Optional<ChaincodeDefinition> definition(String namespace) {
        if (namespace.equals(LifecycleNamespace.NAME)) {
            return Optional.of(lifecycle);
        }
        long generationBefore = generation;
        boolean current = ledger.height() == syncedHeight;
        if (current) {
            Optional<ChaincodeDefinition> cached = cache.get(namespace);
            if (cached != null) {
                return cached;
            }
        }
        Optional<ChaincodeDefinition> loaded = load(namespace);
        if (current) {
            cacheLock.lock();
            try {
                if (generation == generationBefore && ledger.height() == syncedHeight) {
                    if (cache.size() >= CACHED_DEFINITIONS_MAX) {
                        cache.clear();
                    }
                    cache.putIfAbsent(namespace, loaded);
                }
            } finally {
                cacheLock.unlock();
            }
        }
        return loaded;
    }

    /**
     * Tells the cache that {@code block} is committed (call after {@code ChannelLedger.commit(block)} returned):
     * forgets the definitions its VALID transactions wrote. A block that is not the next one the cache expects
     * empties it.
     */
    public void blockCommitted(Block block) {
        long number = block.getHeader().getNumber();
        Set<String> changed = changedDefinitions(block);
        cacheLock.lock();
        try {
            if (number != syncedHeight) {
                cache.clear();
            } else {
                changed.forEach(cache::remove);
            }
            generation++;
            syncedHeight = number + 1;
        } finally {
            cacheLock.unlock();
        }
    }

    private Optional<ChaincodeDefinition> load(String namespace) {
        Optional<DefinedChaincode> defined;
        try {
            defined = DefinedChaincode.read(state, namespace);
        } catch (LifecycleException e) {
            // Fabric: a namespace whose lifecycle entry is not a chaincode definition is not a chaincode.
            return Optional.empty();
        }
        return defined.map(d -> {
            ChaincodeParameters p = d.parameters();
            EndorsementPolicy policy = ApplicationPolicies.compile(namespace,
                    p.validationInfo().getValidationPlugin(), p.validationInfo().getValidationParameter());
            return new ChaincodeDefinition(namespace, d.sequence(), p.version(), p.endorsementInfo().getInitRequired(),
                    p.validationInfo().getValidationParameter(), policy, ChaincodeDefinition.KeyPolicies.NONE);
        });
    }

    /** The chaincode names whose committed definition the block's VALID transactions wrote. */
    private static Set<String> changedDefinitions(Block block) {
        Set<String> names = new HashSet<>();
        for (int i = 0; i < block.getData().getDataCount(); i++) {
            if (Blocks.validationCode(block, i) != TxValidationCode.VALID) {
                continue;
            }
            ParsedTransaction tx;
            try {
                tx = TransactionParser.parse(Blocks.envelope(block, i));
            } catch (MalformedTransactionException e) {
                throw new AssertionError("block " + block.getHeader().getNumber() + " transaction " + i
                        + " is VALID but does not parse", e);
            }
            for (ParsedTransaction.NamespaceRwSet ns : tx.writes()) {
                if (!ns.namespace().equals(LifecycleNamespace.NAME)) {
                    continue;
                }
                ns.rwSet().getWritesList().stream().map(KVWrite::getKey)
                        .forEach(key -> definitionName(key).ifPresent(names::add));
                ns.rwSet().getMetadataWritesList().stream().map(KVMetadataWrite::getKey)
                        .forEach(key -> definitionName(key).ifPresent(names::add));
            }
        }
        return names;
    }

    /** The chaincode a public definition key belongs to: {@code namespaces/metadata/<cc>} or {@code namespaces/fields/<cc>/…}. */
    static Optional<String> definitionName(String key) {
        String metadata = LifecycleNamespace.NAMESPACES + "/" + StateSerializer.METADATA_INFIX + "/";
        String fields = LifecycleNamespace.NAMESPACES + "/" + StateSerializer.FIELDS_INFIX + "/";
        if (key.startsWith(metadata)) {
            return Optional.of(key.substring(metadata.length()));
        }
        if (key.startsWith(fields)) {
            String rest = key.substring(fields.length());
            int slash = rest.indexOf('/');
            return Optional.of(slash < 0 ? rest : rest.substring(0, slash));
        }
        return Optional.empty();
    }

    /** {@code _lifecycle}'s own definition for this channel (Fabric's {@code LifecycleEndorsementPolicyAsBytes}). */
    private static ChaincodeDefinition lifecycleDefinition(LifecycleChannel channel) {
        List<String> orgs = List.copyOf(channel.orgs());
        boolean configured = channel.hasPolicy(LifecycleNamespace.LIFECYCLE_ENDORSEMENT_POLICY);
        ByteString parameter = configured ? ApplicationPolicies.reference(LifecycleNamespace.LIFECYCLE_ENDORSEMENT_POLICY)
                : ApplicationPolicies.signature(ApplicationPolicies.members(orgs.size() / 2 + 1, orgs));
        EndorsementPolicy policy = ApplicationPolicies.compile(LifecycleNamespace.NAME,
                LifecycleNamespace.DEFAULT_VALIDATION_PLUGIN, parameter);
        Map<String, EndorsementPolicy> orgPolicies = new ConcurrentHashMap<>();
        for (String org : orgs) {
            String path = LifecycleChannel.orgEndorsementPolicy(org);
            orgPolicies.put(org, channel.hasPolicy(path) ? new EndorsementPolicy.ChannelPolicy(path)
                    : ApplicationPolicies.compile(LifecycleNamespace.NAME, LifecycleNamespace.DEFAULT_VALIDATION_PLUGIN,
                            ApplicationPolicies.signature(ApplicationPolicies.members(1, List.of(org)))));
        }
        ChaincodeDefinition.KeyPolicies approvals = key -> {
            if (!key.startsWith(LifecycleNamespace.IMPLICIT_ORG_PREFIX)) {
                return Optional.empty();
            }
            // The longest matching organisation prefix, so no organisation can write under another's keys.
            String owner = null;
            for (String org : orgs) {
                if (key.startsWith(LifecycleNamespace.orgPrefix(org)) && (owner == null || org.length() > owner.length())) {
                    owner = org;
                }
            }
            return Optional.of(owner != null ? orgPolicies.get(owner)
                    : ApplicationPolicies.rejecting("no org found in channel for lifecycle key " + key));
        };
        return new ChaincodeDefinition(LifecycleNamespace.NAME, 1, "", false, parameter, policy, approvals);
    }
}
