package org.banyan.protocol.policy;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import org.banyan.crypto.msp.MspRole;
import org.hyperledger.fabric.protos.common.MSPPrincipal;
import org.hyperledger.fabric.protos.common.MSPRole;

/** One decoded {@code MSPPrincipal} of a signature policy: who a {@code signed_by} leaf asks for. */
sealed interface Principal {
    /** Short form for reasons, as Fabric's policy DSL writes it ({@code Org1MSP.CLIENT}). */
    String describe();

    /** {@code ROLE}: a valid identity of the MSP holding the role (MEMBER: any valid identity). */
    record Role(String mspId, MspRole role) implements Principal {
        @Override
        public String describe() {
            return mspId + "." + role;
        }
    }

    /** {@code IDENTITY}: exactly this {@code SerializedIdentity}, and valid. */
    record Identity(ByteString serializedIdentity) implements Principal {
        @Override
        public String describe() {
            return "identity(" + serializedIdentity.size() + " bytes)";
        }
    }

    /**
     * A classification Banyan does not evaluate yet (ORGANIZATION_UNIT, ANONYMITY, COMBINED) or an unknown role
     * type: satisfied by no identity, so a policy using it fails closed with this description as the reason.
     */
    record Unsupported(String description) implements Principal {
        @Override
        public String describe() {
            return description;
        }
    }

    static Principal decode(MSPPrincipal principal) {
        return switch (principal.getPrincipalClassification()) {
            case ROLE -> role(principal.getPrincipal());
            case IDENTITY -> new Identity(principal.getPrincipal());
            default -> new Unsupported("unsupported principal classification " + principal.getPrincipalClassification());
        };
    }

    private static Principal role(ByteString bytes) {
        MSPRole role;
        try {
            role = MSPRole.parseFrom(bytes);
        } catch (InvalidProtocolBufferException e) {
            throw new InvalidPolicyException("ROLE principal is not an MSPRole", e);
        }
        return switch (role.getRole()) {
            case MEMBER -> new Role(role.getMspIdentifier(), MspRole.MEMBER);
            case ADMIN -> new Role(role.getMspIdentifier(), MspRole.ADMIN);
            case CLIENT -> new Role(role.getMspIdentifier(), MspRole.CLIENT);
            case PEER -> new Role(role.getMspIdentifier(), MspRole.PEER);
            case ORDERER -> new Role(role.getMspIdentifier(), MspRole.ORDERER);
            default -> new Unsupported("unknown MSP role " + role.getRoleValue() + " of " + role.getMspIdentifier());
        };
    }
}
