package org.banyan.ledger.lifecycle;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import java.util.List;
import org.banyan.ledger.validation.EndorsementPolicy;
import org.banyan.protocol.policy.CompiledPolicy;
import org.banyan.protocol.policy.InvalidPolicyException;
import org.banyan.protocol.policy.SignaturePolicies;
import org.hyperledger.fabric.protos.common.MSPPrincipal;
import org.hyperledger.fabric.protos.common.MSPRole;
import org.hyperledger.fabric.protos.common.SignaturePolicy;
import org.hyperledger.fabric.protos.common.SignaturePolicyEnvelope;
import org.hyperledger.fabric.protos.peer.ApplicationPolicy;

/** Fabric's {@code ApplicationPolicy} values: the defaults lifecycle writes, and compiling one for validation. */
final class ApplicationPolicies {
    private ApplicationPolicies() {}

    /** A reference to a channel configuration policy, e.g. Fabric's default endorsement policy. */
    static ByteString reference(String path) {
        return ApplicationPolicy.newBuilder().setChannelConfigPolicyReference(path).build().toByteString();
    }

    /**
     * Compiles a definition's validation info as Fabric's built-in validation plugin ({@code vscc}) would: a
     * signature policy is compiled, a reference names a channel policy. Anything Banyan cannot evaluate — another
     * validation plugin, bytes that are no {@code ApplicationPolicy}, a signature policy that does not compile —
     * becomes a policy no endorsement satisfies, so the chaincode's writes fail ENDORSEMENT_POLICY_FAILURE
     * rather than pass unchecked.
     */
    static EndorsementPolicy compile(String chaincode, String validationPlugin, ByteString validationParameter) {
        if (!validationPlugin.equals(LifecycleNamespace.DEFAULT_VALIDATION_PLUGIN)) {
            return rejecting("chaincode " + chaincode + ": validation plugin '" + validationPlugin
                    + "' is not available (Banyan validates with '" + LifecycleNamespace.DEFAULT_VALIDATION_PLUGIN + "' only)");
        }
        ApplicationPolicy policy;
        try {
            policy = ApplicationPolicy.parseFrom(validationParameter);
        } catch (InvalidProtocolBufferException e) {
            return rejecting("chaincode " + chaincode + ": could not unmarshal the endorsement policy: " + e.getMessage());
        }
        return switch (policy.getTypeCase()) {
            case CHANNEL_CONFIG_POLICY_REFERENCE -> new EndorsementPolicy.ChannelPolicy(policy.getChannelConfigPolicyReference());
            case SIGNATURE_POLICY -> {
                try {
                    yield new EndorsementPolicy.Signature(SignaturePolicies.compile(policy.getSignaturePolicy()),
                            "endorsement policy of chaincode " + chaincode);
                } catch (InvalidPolicyException e) {
                    yield rejecting("chaincode " + chaincode + ": invalid endorsement policy: " + e.getMessage());
                }
            }
            case TYPE_NOT_SET -> rejecting("chaincode " + chaincode + ": unsupported policy type");
        };
    }

    /**
     * Fabric's {@code SignedByNOutOfGivenRole(n, MEMBER, mspIds)}: {@code n} distinct organisations, each signed
     * by a member. Lifecycle's fallback when a channel lacks {@code LifecycleEndorsement} (n = a majority) or an
     * organisation lacks {@code Endorsement} (n = 1, its own members).
     */
    static SignaturePolicyEnvelope members(int n, List<String> mspIds) {
        SignaturePolicyEnvelope.Builder envelope = SignaturePolicyEnvelope.newBuilder().setVersion(0);
        SignaturePolicy.NOutOf.Builder gate = SignaturePolicy.NOutOf.newBuilder().setN(n);
        for (int i = 0; i < mspIds.size(); i++) {
            envelope.addIdentities(MSPPrincipal.newBuilder().setPrincipalClassification(MSPPrincipal.Classification.ROLE)
                    .setPrincipal(MSPRole.newBuilder().setMspIdentifier(mspIds.get(i)).setRole(MSPRole.MSPRoleType.MEMBER)
                            .build().toByteString()));
            gate.addRules(SignaturePolicy.newBuilder().setSignedBy(i));
        }
        return envelope.setRule(SignaturePolicy.newBuilder().setNOutOf(gate)).build();
    }

    /** An {@code ApplicationPolicy} holding a signature policy. */
    static ByteString signature(SignaturePolicyEnvelope envelope) {
        return ApplicationPolicy.newBuilder().setSignaturePolicy(envelope).build().toByteString();
    }

    static EndorsementPolicy rejecting(String reason) {
        return new EndorsementPolicy.Signature(CompiledPolicy.rejecting(reason), "a policy nothing satisfies");
    }
}
