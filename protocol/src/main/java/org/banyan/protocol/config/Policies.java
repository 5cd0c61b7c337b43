package org.banyan.protocol.config;

import java.util.List;
import org.hyperledger.fabric.protos.common.ImplicitMetaPolicy;
import org.hyperledger.fabric.protos.common.Policy;
import org.hyperledger.fabric.protos.common.SignaturePolicy;
import org.hyperledger.fabric.protos.common.SignaturePolicyEnvelope;
import org.hyperledger.fabric.protos.common.MSPPrincipal;
import org.hyperledger.fabric.protos.common.MSPRole;

/** Fabric policy values for channel configuration. */
public final class Policies {
    private Policies() {}

    /** {@code OR('<msp>.<role1>', '<msp>.<role2>', ...)} as a SIGNATURE policy. */
    public static Policy anyOfRoles(String mspId, List<MSPRole.MSPRoleType> roles) {
        SignaturePolicyEnvelope.Builder envelope = SignaturePolicyEnvelope.newBuilder().setVersion(0);
        SignaturePolicy.NOutOf.Builder oneOf = SignaturePolicy.NOutOf.newBuilder().setN(1);
        for (int i = 0; i < roles.size(); i++) {
            envelope.addIdentities(MSPPrincipal.newBuilder()
                    .setPrincipalClassification(MSPPrincipal.Classification.ROLE)
                    .setPrincipal(MSPRole.newBuilder().setMspIdentifier(mspId).setRole(roles.get(i)).build().toByteString()));
            oneOf.addRules(SignaturePolicy.newBuilder().setSignedBy(i));
        }
        envelope.setRule(SignaturePolicy.newBuilder().setNOutOf(oneOf));
        return Policy.newBuilder().setType(Policy.PolicyType.SIGNATURE_VALUE).setValue(envelope.build().toByteString()).build();
    }

    /** An IMPLICIT_META policy such as {@code MAJORITY Endorsement}. */
    public static Policy implicitMeta(ImplicitMetaPolicy.Rule rule, String subPolicy) {
        return Policy.newBuilder().setType(Policy.PolicyType.IMPLICIT_META_VALUE)
                .setValue(ImplicitMetaPolicy.newBuilder().setRule(rule).setSubPolicy(subPolicy).build().toByteString())
                .build();
    }
}
