package org.banyan.crypto.sign;

import com.amazon.corretto.crypto.provider.AmazonCorrettoCryptoProvider;
import java.security.Provider;
import java.security.Security;
import java.util.Optional;
import org.bouncycastle.jce.provider.BouncyCastleProvider;

/**
 * The JCA providers Banyan may sign and verify with. None is registered globally ({@code Security.addProvider}
 * is never called): Banyan passes the chosen {@link Provider} explicitly so other libraries are unaffected.
 */
public enum CryptoProvider {
    /** Amazon Corretto Crypto Provider: AWS-LC through JNI; native, linux-x86_64 build bundled. */
    ACCP,
    /** Conscrypt: BoringSSL through JNI; native; no Ed25519 in 2.5.x. */
    CONSCRYPT,
    /** BouncyCastle: pure Java, always loads, has both algorithms. The fallback of last resort. */
    BOUNCY_CASTLE,
    /** The JDK's own SunEC: pure Java, always present. */
    SUN_EC;

    /**
     * Loads the provider, or explains why it cannot load on this machine (a native library missing for the
     * platform, a failed self-check). Never throws.
     */
    public Load load() {
        try {
            return switch (this) {
                case ACCP -> loadAccp();
                case CONSCRYPT -> loadConscrypt();
                case BOUNCY_CASTLE -> Load.ok(Holder.BOUNCY_CASTLE);
                case SUN_EC -> Optional.ofNullable(Security.getProvider("SunEC"))
                        .map(Load::ok)
                        .orElseGet(() -> Load.failed("SunEC is not installed in this JDK"));
            };
        } catch (LinkageError | RuntimeException e) {
            // Native providers fail with UnsatisfiedLinkError or NoClassDefFoundError on unsupported platforms.
            return Load.failed(e.toString());
        }
    }

    private static Load loadAccp() {
        AmazonCorrettoCryptoProvider accp = AmazonCorrettoCryptoProvider.INSTANCE;
        Throwable error = accp.getLoadingError();
        return error == null ? Load.ok(accp) : Load.failed(error.toString());
    }

    private static Load loadConscrypt() {
        if (!org.conscrypt.Conscrypt.isAvailable()) {
            return Load.failed("Conscrypt native library is not available on this platform");
        }
        return Load.ok(ConscryptHolder.INSTANCE);
    }

    /** The outcome of {@link #load()}: a provider, or the reason there is none. */
    public record Load(Optional<Provider> provider, String failure) {
        static Load ok(Provider provider) {
            return new Load(Optional.of(provider), "");
        }

        static Load failed(String failure) {
            return new Load(Optional.empty(), failure);
        }
    }

    // One instance per JVM: providers cache native contexts and are thread-safe.
    private static final class Holder {
        static final Provider BOUNCY_CASTLE = new BouncyCastleProvider();
    }

    private static final class ConscryptHolder {
        static final Provider INSTANCE = org.conscrypt.Conscrypt.newProvider();
    }
}
