package org.banyan.crypto.msp;

/** An MSP definition (folder or {@code FabricMSPConfig}) that cannot be used: Fabric refuses such an MSP too. */
public final class MspConfigException extends IllegalArgumentException {
    /** @param message what is wrong with the definition */
    public MspConfigException(String message) {
        super(message);
    }

    /** @param message what is wrong; @param cause the underlying error */
    public MspConfigException(String message, Throwable cause) {
        super(message, cause);
    }
}
