package org.banyan.ledger.validation;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.banyan.crypto.msp.MspRegistry;
import org.banyan.crypto.msp.ValidityTime;
import org.banyan.ledger.state.VersionedValue;
import org.banyan.protocol.ParsedTransaction;
import org.banyan.protocol.policy.InvalidPolicyException;
import org.banyan.protocol.policy.PolicyEvaluator;
import org.banyan.protocol.policy.PolicyVerdict;
import org.banyan.protocol.policy.SignaturePolicies;
import org.banyan.protocol.policy.SignedData;
import org.banyan.protocol.policy.Signers;
import org.hyperledger.fabric.protos.ledger.rwset.kvrwset.KVMetadataWrite;
import org.hyperledger.fabric.protos.ledger.rwset.kvrwset.KVRWSet;
import org.hyperledger.fabric.protos.ledger.rwset.kvrwset.KVWrite;
import org.hyperledger.fabric.protos.peer.ChaincodeAction;
import org.hyperledger.fabric.protos.peer.ChaincodeActionPayload;
import org.hyperledger.fabric.protos.peer.ChaincodeEvent;
import org.hyperledger.fabric.protos.peer.Endorsement;
import org.hyperledger.fabric.protos.peer.ProposalResponsePayload;
import org.hyperledger.fabric.protos.peer.TxValidationCode;

/**
 * Step 4 of {@code docs/validation.md}: Fabric's plugin dispatcher ({@code txvalidator/v20/plugindispatcher}) and
 * its built-in key-level validator ({@code core/common/validation/statebased}). Every namespace the transaction
 * writes, and the invoked chaincode's, is checked: its chaincode must be defined, and the endorsements must
 * satisfy, for each written key, the key's own policy (metadata {@value #VALIDATION_PARAMETER}) when it has one,
 * else the chaincode's endorsement policy. Thread-safe (immutable fields).
 */
final class EndorsementChecks {
    /** Fabric's metadata name for a key-level endorsement policy (a {@code SignaturePolicyEnvelope}). */
    static final String VALIDATION_PARAMETER = "VALIDATION_PARAMETER";

    private final MspRegistry registry;
    private final PolicyEvaluator channelPolicies;
    private final ChaincodeDefinitions definitions;

    EndorsementChecks(MspRegistry registry, PolicyEvaluator channelPolicies, ChaincodeDefinitions definitions) {
        this.registry = registry;
        this.channelPolicies = channelPolicies;
        this.definitions = definitions;
    }

    CheckedTransaction check(int index, ParsedTransaction tx, ChaincodeActionPayload actionPayload,
                             CommittedLedger ledger, ValidityTime now) {
        ChaincodeAction action;
        try {
            action = ChaincodeAction.parseFrom(ProposalResponsePayload.parseFrom(
                    actionPayload.getAction().getProposalResponsePayload()).getExtension());
        } catch (InvalidProtocolBufferException e) {
            throw new AssertionError("transaction " + index + " parsed once but not twice", e);
        }
        Optional<String> malformed = checkDispatch(tx, action);
        if (malformed.isPresent()) {
            TxValidationCode code = malformed.get().startsWith("duplicate namespace")
                    ? TxValidationCode.ILLEGAL_WRITESET : TxValidationCode.INVALID_OTHER_REASON;
            return CheckedTransaction.invalid(index, code, malformed.get(), tx.txId());
        }
        Signers endorsers = Signers.verified(signedData(actionPayload), registry, now);
        Set<StateKey> endorsedKeys = new LinkedHashSet<>();
        Optional<Failure> failure = policyFailure(tx, endorsers, ledger, endorsedKeys);
        if (failure.isPresent()) {
            return CheckedTransaction.invalid(index, failure.get().code(), failure.get().reason(), tx.txId());
        }
        return new CheckedTransaction(index, TxValidationCode.VALID, "", tx.txId(), tx.writes(), metadataWrites(tx),
                Set.copyOf(endorsedKeys));
    }

    /** Why a transaction's endorsements do not do: INVALID_CHAINCODE or ENDORSEMENT_POLICY_FAILURE, and a reason. */
    record Failure(TxValidationCode code, String reason) {}

    /**
     * The first namespace of the transaction whose policies {@code endorsers} do not satisfy, or empty when they
     * satisfy all; collects the keys checked into {@code endorsedKeys}.
     */
    Optional<Failure> policyFailure(ParsedTransaction tx, Signers endorsers, CommittedLedger ledger,
            Set<StateKey> endorsedKeys) {
        for (String namespace : namespacesToValidate(tx)) {
            Optional<ChaincodeDefinition> definition = definitions.definition(namespace);
            if (definition.isEmpty()) {
                return Optional.of(new Failure(TxValidationCode.INVALID_CHAINCODE,
                        "no chaincode defined for namespace " + namespace));
            }
            Optional<String> failure = checkNamespace(namespace, rwSet(tx, namespace), definition.get(), endorsers,
                    ledger, endorsedKeys);
            if (failure.isPresent()) {
                return Optional.of(new Failure(TxValidationCode.ENDORSEMENT_POLICY_FAILURE,
                        "namespace " + namespace + ": " + failure.get()));
            }
        }
        return Optional.empty();
    }

    /** The dispatcher's sanity checks: chaincode names agree, an event belongs to the chaincode, no namespace twice. */
    private static Optional<String> checkDispatch(ParsedTransaction tx, ChaincodeAction action) {
        String chaincode = tx.chaincodeName();
        if (chaincode.isEmpty() || !chaincode.equals(action.getChaincodeId().getName())) {
            return Optional.of("chaincode '" + chaincode + "' in the header, '" + action.getChaincodeId().getName()
                    + "' in the response");
        }
        if (!action.getEvents().isEmpty()) {
            try {
                if (!ChaincodeEvent.parseFrom(action.getEvents()).getChaincodeId().equals(chaincode)) {
                    return Optional.of("chaincode event of another chaincode");
                }
            } catch (InvalidProtocolBufferException e) {
                return Optional.of("malformed chaincode event");
            }
        }
        Set<String> namespaces = new java.util.HashSet<>();
        for (ParsedTransaction.NamespaceRwSet ns : tx.writes()) {
            if (!namespaces.add(ns.namespace())) {
                return Optional.of("duplicate namespace '" + ns.namespace() + "' in the read/write set");
            }
        }
        return Optional.empty();
    }

    /**
     * The invoked chaincode first, then each namespace with writes or metadata writes in read/write set order.
     * (Fabric iterates a Go map here, so which failing namespace it reports first is random; the order is fixed
     * here so every node reports the same code.)
     */
    private static List<String> namespacesToValidate(ParsedTransaction tx) {
        LinkedHashSet<String> namespaces = new LinkedHashSet<>();
        namespaces.add(tx.chaincodeName());
        for (ParsedTransaction.NamespaceRwSet ns : tx.writes()) {
            if (ns.rwSet().getWritesCount() > 0 || ns.rwSet().getMetadataWritesCount() > 0) {
                namespaces.add(ns.namespace());
            }
        }
        return List.copyOf(namespaces);
    }

    private static KVRWSet rwSet(ParsedTransaction tx, String namespace) {
        for (ParsedTransaction.NamespaceRwSet ns : tx.writes()) {
            if (ns.namespace().equals(namespace)) {
                return ns.rwSet();
            }
        }
        return KVRWSet.getDefaultInstance();
    }

    /** Fabric's signature set: each endorsement signs (proposal response payload ‖ endorser). */
    private static List<SignedData> signedData(ChaincodeActionPayload actionPayload) {
        ByteString responsePayload = actionPayload.getAction().getProposalResponsePayload();
        List<SignedData> signed = new ArrayList<>();
        for (Endorsement endorsement : actionPayload.getAction().getEndorsementsList()) {
            signed.add(new SignedData(responsePayload.concat(endorsement.getEndorser()), endorsement.getEndorser(),
                    endorsement.getSignature()));
        }
        return signed;
    }

    /**
     * Fabric's {@code policyChecker}: each written key (writes, then metadata writes) with a key-level policy must
     * satisfy it; a key the definition scopes to its own policy ({@link ChaincodeDefinition.KeyPolicies}, Fabric's
     * collection policies) must satisfy that one; the chaincode policy is checked once if any other written key
     * has none, or if no policy was checked at all (a transaction with no writes still needs the chaincode's
     * endorsement, FAB-9473).
     */
    private Optional<String> checkNamespace(String namespace, KVRWSet rwSet, ChaincodeDefinition definition,
                                            Signers endorsers, CommittedLedger ledger, Set<StateKey> endorsedKeys) {
        List<String> keys = new ArrayList<>();
        rwSet.getWritesList().stream().map(KVWrite::getKey).forEach(keys::add);
        rwSet.getMetadataWritesList().stream().map(KVMetadataWrite::getKey).forEach(keys::add);
        boolean chaincodePolicyChecked = false;
        Map<ByteString, PolicyVerdict> keyPolicies = new HashMap<>();
        Map<EndorsementPolicy, PolicyVerdict> scopedPolicies = new HashMap<>();
        for (String key : keys) {
            endorsedKeys.add(new StateKey(namespace, key));
            ByteString keyPolicy = validationParameter(ledger, namespace, key);
            PolicyVerdict verdict;
            Optional<EndorsementPolicy> scoped = keyPolicy.isEmpty() ? definition.keyPolicies().policy(key)
                    : Optional.empty();
            if (scoped.isPresent()) {
                // Like a write to a Fabric collection: the key's scope policy, not the chaincode's.
                verdict = scopedPolicies.computeIfAbsent(scoped.get(), p -> p.evaluate(endorsers, channelPolicies));
            } else if (keyPolicy.isEmpty()) {
                if (chaincodePolicyChecked) {
                    continue;
                }
                verdict = definition.endorsementPolicy().evaluate(endorsers, channelPolicies);
                chaincodePolicyChecked = true;
            } else {
                verdict = keyPolicies.computeIfAbsent(keyPolicy, bytes -> evaluateKeyPolicy(bytes, endorsers));
            }
            if (!verdict.satisfied()) {
                return Optional.of("key " + key + ": " + verdict.reason());
            }
        }
        if (keys.isEmpty()) {
            PolicyVerdict verdict = definition.endorsementPolicy().evaluate(endorsers, channelPolicies);
            return verdict.satisfied() ? Optional.empty() : Optional.of(verdict.reason());
        }
        return Optional.empty();
    }

    private static ByteString validationParameter(CommittedLedger ledger, String namespace, String key) {
        if (namespace.isEmpty() || key.isEmpty()) {
            return ByteString.EMPTY; // the state store holds no such key
        }
        return ledger.get(namespace, key).map(VersionedValue::metadata)
                .map(metadata -> metadata.getOrDefault(VALIDATION_PARAMETER, ByteString.EMPTY))
                .orElse(ByteString.EMPTY);
    }

    private static PolicyVerdict evaluateKeyPolicy(ByteString policy, Signers endorsers) {
        try {
            return SignaturePolicies.compile(policy).evaluate(endorsers);
        } catch (InvalidPolicyException e) {
            // Fabric: a key-level policy that does not compile fails the endorsement check.
            return PolicyVerdict.unsatisfied("key-level policy does not compile: " + e.getMessage());
        }
    }

    private static Set<StateKey> metadataWrites(ParsedTransaction tx) {
        Set<StateKey> keys = new LinkedHashSet<>();
        for (ParsedTransaction.NamespaceRwSet ns : tx.writes()) {
            for (KVMetadataWrite write : ns.rwSet().getMetadataWritesList()) {
                keys.add(new StateKey(ns.namespace(), write.getKey()));
            }
        }
        return Set.copyOf(keys);
    }
}
