package org.banyan.protocol.testing;

import com.google.protobuf.ByteString;
import java.io.StringWriter;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.util.Date;
import org.banyan.crypto.SigningIdentity;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.hyperledger.fabric.protos.msp.SerializedIdentity;

/**
 * A throwaway ECDSA P-256 identity with a self-signed certificate, for building test chains where only the
 * shape of the bytes matters (the ledger does not verify signatures). MSP-valid identities come from
 * {@code org.banyan.crypto}'s generator.
 */
public final class TestIdentity implements SigningIdentity {
    private final String mspId;
    private final byte[] certificatePem;
    private final PrivateKey privateKey;

    private TestIdentity(String mspId, byte[] certificatePem, PrivateKey privateKey) {
        this.mspId = mspId;
        this.certificatePem = certificatePem;
        this.privateKey = privateKey;
    }

    public static TestIdentity create(String mspId, String commonName, long seed) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            SecureRandom random = SecureRandom.getInstance("SHA1PRNG");
            random.setSeed(seed);
            generator.initialize(new ECGenParameterSpec("secp256r1"), random);
            KeyPair keys = generator.generateKeyPair();
            X500Name name = new X500Name("CN=" + commonName + ",O=" + mspId);
            Date notBefore = new Date(0);
            Date notAfter = new Date(4_102_444_800_000L); // 2100-01-01
            X509CertificateHolder holder = new JcaX509v3CertificateBuilder(name, BigInteger.valueOf(seed & Long.MAX_VALUE),
                    notBefore, notAfter, name, keys.getPublic())
                    .build(new JcaContentSignerBuilder("SHA256withECDSA").build(keys.getPrivate()));
            StringWriter pem = new StringWriter();
            try (JcaPEMWriter writer = new JcaPEMWriter(pem)) {
                writer.writeObject(holder);
            }
            return new TestIdentity(mspId, pem.toString().getBytes(StandardCharsets.UTF_8), keys.getPrivate());
        } catch (Exception e) {
            throw new IllegalStateException("cannot create test identity", e);
        }
    }

    @Override
    public String mspId() {
        return mspId;
    }

    @Override
    public byte[] certificatePem() {
        return certificatePem.clone();
    }

    @Override
    public byte[] serialize() {
        return SerializedIdentity.newBuilder().setMspid(mspId).setIdBytes(ByteString.copyFrom(certificatePem))
                .build().toByteArray();
    }

    @Override
    public byte[] sign(byte[] message) {
        try {
            Signature signature = Signature.getInstance("SHA256withECDSA");
            signature.initSign(privateKey);
            signature.update(message);
            return signature.sign();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
