package org.banyan.protocol.policy;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.banyan.crypto.msp.MspRegistry;
import org.banyan.crypto.msp.MspRole;
import org.banyan.crypto.msp.MspVerdict;
import org.banyan.crypto.msp.ValidityTime;
import org.hyperledger.fabric.protos.msp.SerializedIdentity;

/**
 * The identities one policy evaluation runs against, prepared as Fabric's {@code SignatureSetToValidIdentities}
 * does: identities that do not decode or name an MSP outside the channel are dropped, duplicates (same MSP and
 * certificate bytes) count once, and — for signed data — a signature that does not verify drops its identity.
 * Dropped identities are remembered as notes so a failed verdict can say why they did not count. Validity and
 * roles are checked later, per principal, at the instant given here. Not thread-safe; one per evaluation.
 */
public final class Signers {
    private final List<Signer> signers;
    private final List<String> dropped;
    private final MspRegistry registry;
    private final ValidityTime now;

    /**
     * A decoded identity of a channel MSP, or ({@code serialized} null) a hypothetical peer of the MSP that holds
     * no identity yet: see {@link #peersOf}.
     */
    private record Signer(ByteString serialized, String mspId) {
        boolean hypothetical() {
            return serialized == null;
        }
    }

    private Signers(List<Signer> signers, List<String> dropped, MspRegistry registry, ValidityTime now) {
        this.signers = signers;
        this.dropped = dropped;
        this.registry = registry;
        this.now = now;
    }

    /**
     * Identities whose signatures the caller already checked (for example an envelope's creator after
     * {@link MspRegistry#verify}).
     *
     * @param identities encoded {@code msp.SerializedIdentity} values
     * @param now when validity windows are checked: a proposal's time, or Fabric's rule for committed blocks
     */
    public static Signers of(Collection<ByteString> identities, MspRegistry registry, ValidityTime now) {
        Builder builder = new Builder(registry);
        int index = 0;
        for (ByteString identity : identities) {
            builder.add(index++, identity, null);
        }
        return builder.build(now);
    }

    /** Signed data: each signature is verified with {@link MspRegistry#verify} and a failing one is dropped. */
    public static Signers verified(List<SignedData> signedData, MspRegistry registry, ValidityTime now) {
        Builder builder = new Builder(registry);
        for (int i = 0; i < signedData.size(); i++) {
            builder.add(i, signedData.get(i).identity(), signedData.get(i));
        }
        return builder.build(now);
    }

    /**
     * One hypothetical valid peer of each organisation, for planning whom to ask for endorsements before any has
     * signed (Fabric's discovery computes its layouts the same way, from principals alone): such a peer satisfies
     * a ROLE principal of its MSP with role PEER or MEMBER, and no other principal (not an IDENTITY principal,
     * whose certificate it cannot know). Organisations outside the channel are dropped with a note.
     */
    public static Signers peersOf(Collection<String> mspIds, MspRegistry registry) {
        List<Signer> signers = new ArrayList<>();
        List<String> dropped = new ArrayList<>();
        for (String mspId : new java.util.LinkedHashSet<>(mspIds)) {
            if (registry.msp(mspId).isEmpty()) {
                dropped.add("organisation " + mspId + " is not a member of the channel");
            } else {
                signers.add(new Signer(null, mspId));
            }
        }
        return new Signers(List.copyOf(signers), List.copyOf(dropped), registry, ValidityTime.atIssuance());
    }

    /** Distinct usable identities. */
    public int size() {
        return signers.size();
    }

    /** Why identities were not counted, one note each, in input order. */
    public List<String> dropped() {
        return dropped;
    }

    /** Empty when the identity at {@code index} satisfies the principal, else why not. */
    Optional<String> check(int index, Principal principal) {
        Signer signer = signers.get(index);
        if (signer.hypothetical()) {
            return satisfiesHypothetical(signer, principal) ? Optional.empty()
                    : Optional.of("a peer of " + signer.mspId() + " is not " + principal.describe());
        }
        return switch (principal) {
            case Principal.Role role -> role.mspId().equals(signer.mspId())
                    ? failure(signer, registry.validate(signer.serialized().toByteArray(), role.role(), now))
                    : Optional.of(signer.mspId() + " is not " + role.mspId());
            case Principal.Identity identity -> identity.serializedIdentity().equals(signer.serialized())
                    ? failure(signer, registry.validate(signer.serialized().toByteArray(), MspRole.MEMBER, now))
                    : Optional.of(signer.mspId() + " identity is another identity");
            case Principal.Unsupported unsupported -> Optional.of(unsupported.description());
        };
    }

    /** {@code check(index, principal).isEmpty()}, without composing the reason. */
    boolean satisfies(int index, Principal principal) {
        Signer signer = signers.get(index);
        if (signer.hypothetical()) {
            return satisfiesHypothetical(signer, principal);
        }
        return switch (principal) {
            case Principal.Role role -> role.mspId().equals(signer.mspId())
                    && registry.validate(signer.serialized().toByteArray(), role.role(), now).isValid();
            case Principal.Identity identity -> identity.serializedIdentity().equals(signer.serialized())
                    && registry.validate(signer.serialized().toByteArray(), MspRole.MEMBER, now).isValid();
            case Principal.Unsupported unsupported -> false;
        };
    }

    private static boolean satisfiesHypothetical(Signer peer, Principal principal) {
        return principal instanceof Principal.Role role && role.mspId().equals(peer.mspId())
                && (role.role() == MspRole.PEER || role.role() == MspRole.MEMBER);
    }

    private static Optional<String> failure(Signer signer, MspVerdict verdict) {
        return verdict.isValid() ? Optional.empty()
                : Optional.of(signer.mspId() + " identity " + verdict.failure().orElseThrow() + " (" + verdict.detail() + ")");
    }

    /** Collects signers in input order, applying Fabric's drop rules. */
    private static final class Builder {
        private final MspRegistry registry;
        private final List<Signer> signers = new ArrayList<>();
        private final List<String> dropped = new ArrayList<>();
        private final Set<List<Object>> seen = new HashSet<>();

        Builder(MspRegistry registry) {
            this.registry = Objects.requireNonNull(registry, "registry");
        }

        void add(int index, ByteString serialized, SignedData signed) {
            SerializedIdentity identity;
            try {
                identity = SerializedIdentity.parseFrom(serialized);
            } catch (InvalidProtocolBufferException e) {
                dropped.add("identity " + index + " is not a SerializedIdentity");
                return;
            }
            if (registry.msp(identity.getMspid()).isEmpty()) {
                dropped.add("identity " + index + " is of MSP '" + identity.getMspid() + "', not a member of the channel");
                return;
            }
            // Deduplicate before verifying, as Fabric does, so a repeated identity cannot cost repeated checks;
            // like Fabric, an identity counts as seen only once one of its signatures verified.
            List<Object> key = List.of(identity.getMspid(), identity.getIdBytes());
            if (seen.contains(key)) {
                dropped.add("identity " + index + " repeats an earlier identity of " + identity.getMspid());
                return;
            }
            if (signed != null) {
                MspVerdict verdict = registry.verify(serialized.toByteArray(), signed.data().toByteArray(),
                        signed.signature().toByteArray());
                if (!verdict.isValid()) {
                    dropped.add("identity " + index + " of " + identity.getMspid() + ": " + verdict.detail());
                    return;
                }
            }
            seen.add(key);
            signers.add(new Signer(serialized, identity.getMspid()));
        }

        Signers build(ValidityTime now) {
            return new Signers(List.copyOf(signers), List.copyOf(dropped), registry, Objects.requireNonNull(now, "now"));
        }
    }
}
