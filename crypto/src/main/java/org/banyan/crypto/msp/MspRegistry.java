package org.banyan.crypto.msp;

import com.google.protobuf.InvalidProtocolBufferException;
import java.nio.ByteBuffer;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Arrays;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.banyan.crypto.Hashes;
import org.banyan.crypto.sign.SignatureVerifier;
import org.banyan.crypto.sign.UnsupportedKeyException;
import org.banyan.crypto.sign.VerificationKey;
import org.banyan.crypto.x509.Pem;
import org.banyan.crypto.x509.PemException;
import org.hyperledger.fabric.protos.msp.FabricMSPConfig;
import org.hyperledger.fabric.protos.msp.SerializedIdentity;

/**
 * The MSPs of a channel by id, validating serialized identities ({@code msp.SerializedIdentity} bytes, Fabric's
 * "creator") and verifying their signatures. Thread-safe: immutable MSPs plus bounded caches of decoded
 * identities, so repeated creators cost neither a PEM parse nor a key decode.
 */
public final class MspRegistry {
    /** Decoded identities kept at most. */
    public static final int CACHED_IDENTITIES_MAX = 10_000;
    /** Signature verdicts kept at most (about 100 bytes each). */
    public static final int CACHED_SIGNATURES_MAX = 65_536;

    private final Map<String, Msp> msps;
    private final SignatureVerifier verifier;
    private final BoundedCache<IdentityKey, Decoded> decoded = new BoundedCache<>(CACHED_IDENTITIES_MAX);
    /**
     * Verdicts of recent signature checks. A node checks the same signature more than once — a client's
     * signature when it admits the envelope for ordering and again when it validates the committed block — and
     * a hash of the inputs costs about a twentieth of an ECDSA verification.
     */
    private final BoundedCache<VerifiedKey, Boolean> verified = new BoundedCache<>(CACHED_SIGNATURES_MAX);

    /**
     * A serialized identity as a cache key: the hash computed once (vectorised {@link Arrays#hashCode}, unlike
     * {@code ByteBuffer.hashCode}), and the bytes copied only when the key is stored, never on a lookup.
     */
    private record IdentityKey(byte[] bytes, int hash) {
        static IdentityKey of(byte[] bytes) {
            return new IdentityKey(bytes, Arrays.hashCode(bytes));
        }

        IdentityKey stored() {
            return new IdentityKey(bytes.clone(), hash);
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof IdentityKey key && key.hash == hash && Arrays.equals(key.bytes, bytes);
        }

        @Override
        public int hashCode() {
            return hash;
        }

        @Override
        public String toString() {
            return "IdentityKey[" + bytes.length + " bytes]";
        }
    }

    /**
     * SHA-256 over (identity, message, signature), each with its length in front so no two inputs share a key;
     * the digest stands for the three arrays, so a hit means exactly these bytes were checked before.
     */
    private record VerifiedKey(ByteBuffer digest) {
        static VerifiedKey of(byte[] identity, byte[] message, byte[] signature) {
            return new VerifiedKey(ByteBuffer.wrap(Hashes.sha256(length(identity), identity, length(message), message,
                    length(signature), signature)));
        }

        private static byte[] length(byte[] part) {
            return ByteBuffer.allocate(Integer.BYTES).putInt(part.length).array();
        }
    }

    /** A decoded serialized identity: the MSP, certificate and key, or why it cannot be decoded. */
    private record Decoded(Optional<Msp> msp, X509Certificate certificate, VerificationKey key, MspVerdict failure) {}

    private MspRegistry(Map<String, Msp> msps, SignatureVerifier verifier) {
        this.msps = msps;
        this.verifier = verifier;
    }

    /**
     * A registry of the given MSP definitions, verifying with the machine's default providers.
     *
     * @throws MspConfigException when a definition is unusable or two share an id
     */
    public static MspRegistry of(Collection<FabricMSPConfig> configs) {
        return of(configs, SignatureVerifier.withDefaults());
    }

    /** As {@link #of(Collection)} with a chosen verifier (tests compare providers). */
    public static MspRegistry of(Collection<FabricMSPConfig> configs, SignatureVerifier verifier) {
        Map<String, Msp> byId = new TreeMap<>();
        for (FabricMSPConfig config : configs) {
            Msp msp = Msp.of(config);
            if (byId.putIfAbsent(msp.id(), msp) != null) {
                throw new MspConfigException("duplicate MSP id " + msp.id());
            }
        }
        return new MspRegistry(Map.copyOf(byId), verifier);
    }

    /** The MSP with the id, if held. */
    public Optional<Msp> msp(String mspId) {
        return Optional.ofNullable(msps.get(mspId));
    }

    /**
     * Validates a serialized identity for a role at an instant.
     *
     * @param serializedIdentity {@code msp.SerializedIdentity} bytes
     * @param role the role required
     * @param now the instant for validity windows (block or proposal time), never read from the clock here
     */
    public MspVerdict validate(byte[] serializedIdentity, MspRole role, Instant now) {
        return validate(serializedIdentity, role, ValidityTime.at(now));
    }

    /** As {@link #validate(byte[], MspRole, Instant)}, at the instant {@code time} gives for the certificate. */
    public MspVerdict validate(byte[] serializedIdentity, MspRole role, ValidityTime time) {
        Decoded identity = decode(serializedIdentity);
        if (identity.msp().isEmpty()) {
            return identity.failure();
        }
        return identity.msp().get().validate(identity.certificate(), role, time);
    }

    /**
     * Verifies the identity's signature over the message. Checks only the signature (strict DER, low-S, key);
     * call {@link #validate} for the identity itself.
     */
    public MspVerdict verify(byte[] serializedIdentity, byte[] message, byte[] signature) {
        Decoded identity = decode(serializedIdentity);
        if (identity.msp().isEmpty()) {
            return identity.failure();
        }
        boolean valid = verified.get(VerifiedKey.of(serializedIdentity, message, signature),
                key -> verifier.verify(identity.key(), message, signature));
        return valid ? MspVerdict.valid()
                : MspVerdict.rejected(MspFailure.BAD_SIGNATURE, "signature does not verify for " + identity.msp().get().id());
    }

    private Decoded decode(byte[] serializedIdentity) {
        return decoded.get(IdentityKey.of(serializedIdentity), IdentityKey::stored, key -> decodeUncached(serializedIdentity));
    }

    private Decoded decodeUncached(byte[] serializedIdentity) {
        SerializedIdentity identity;
        try {
            identity = SerializedIdentity.parseFrom(serializedIdentity);
        } catch (InvalidProtocolBufferException e) {
            return failed(MspFailure.MALFORMED_IDENTITY, "not a SerializedIdentity");
        }
        Msp msp = msps.get(identity.getMspid());
        if (msp == null) {
            return failed(MspFailure.UNKNOWN_MSP, "unknown MSP '" + identity.getMspid() + "'");
        }
        try {
            X509Certificate certificate = Pem.decodeCertificate(identity.getIdBytes().toByteArray());
            return new Decoded(Optional.of(msp), certificate, verifier.decode(certificate.getPublicKey()), MspVerdict.valid());
        } catch (PemException | UnsupportedKeyException e) {
            return failed(MspFailure.BAD_CERTIFICATE, e.getMessage());
        }
    }

    private static Decoded failed(MspFailure failure, String detail) {
        return new Decoded(Optional.empty(), null, null, MspVerdict.rejected(failure, detail));
    }
}
