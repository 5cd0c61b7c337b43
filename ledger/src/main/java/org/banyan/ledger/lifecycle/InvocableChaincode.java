package org.banyan.ledger.lifecycle;

import com.google.protobuf.ByteString;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.Optional;
import org.banyan.ledger.simulation.TxSimulator;

/**
 * What an endorsing node needs to run a proposal for a chaincode defined on the channel (Fabric's
 * {@code ChaincodeEndorsementInfo}): the committed definition's version and init rule, and the package this
 * node's organisation approved, installed on this node.
 *
 * @param name the chaincode (and state namespace)
 * @param sequence the committed sequence the proposal runs under
 * @param version the definition's version; the proposal response's {@code ChaincodeID.version}
 * @param initRequired the chaincode must be invoked as init once per version before any other invocation
 * @param endorsementPlugin the definition's endorsement plugin ({@code escc})
 * @param packageId the installed package to run (Fabric's chaincode ID for a local package);
 *     {@code _lifecycle.syscc} for the system chaincode
 */
public record InvocableChaincode(String name, long sequence, String version, boolean initRequired,
                                 String endorsementPlugin, String packageId) {
    /** Fabric's {@code InitializedKeyName}: {@code \x00} + U+10FFFF + {@code initialized}, in the chaincode's namespace. */
    public static final String INITIALIZED_KEY = "\u0000" + new String(Character.toChars(0x10FFFF)) + "initialized";

    public InvocableChaincode {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(endorsementPlugin, "endorsementPlugin");
        Objects.requireNonNull(packageId, "packageId");
    }

    /**
     * Fabric's {@code ChaincodeSupport.CheckInvocation}, init-exactly-once for definitions with init required:
     * reads (and for an init, writes) {@link #INITIALIZED_KEY} = version through the simulator, so the rule is
     * part of the read/write set and enforced by MVCC at commit.
     *
     * @param isInit the proposal is an init ({@code ChaincodeInput.is_init}, {@code --isInit})
     * @return true when the chaincode must be sent {@code INIT}, false for {@code TRANSACTION}
     * @throws LifecycleException with Fabric's message when the invocation is not allowed
     */
    public boolean checkInit(TxSimulator simulator, boolean isInit) {
        boolean needsInitialization = false;
        ByteString versionBytes = ByteString.copyFrom(version, StandardCharsets.UTF_8);
        if (initRequired) {
            Optional<ByteString> initialized = simulator.getState(name, INITIALIZED_KEY);
            needsInitialization = !initialized.map(versionBytes::equals).orElse(false);
        }
        if (isInit) {
            if (!initRequired) {
                throw new LifecycleException("chaincode '" + name + "' does not require initialization but called as init");
            }
            if (!needsInitialization) {
                throw new LifecycleException("chaincode '" + name + "' is already initialized but called as init");
            }
            simulator.putState(name, INITIALIZED_KEY, versionBytes);
            return true;
        }
        if (needsInitialization) {
            throw new LifecycleException("chaincode '" + name
                    + "' has not been initialized for this version, must call as init first");
        }
        return false;
    }
}
