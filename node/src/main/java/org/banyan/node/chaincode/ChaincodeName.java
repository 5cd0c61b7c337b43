package org.banyan.node.chaincode;

/**
 * A chaincode reference as Fabric writes it, {@code name[:version][/channel]} (Fabric's {@code ParseName}):
 * processes register as {@code name} or {@code name:version} (the development-mode form of Fabric's chaincode
 * ID), and {@code INVOKE_CHAINCODE} names {@code name[/channel]}. Each part is empty when absent.
 */
record ChaincodeName(String name, String version, String channel) {
    /** Splits at the first {@code /} (channel), then at the first {@code :} (version), as Fabric does. */
    static ChaincodeName parse(String text) {
        String rest = text;
        String channel = "";
        int slash = rest.indexOf('/');
        if (slash >= 0) {
            channel = rest.substring(slash + 1);
            rest = rest.substring(0, slash);
        }
        String version = "";
        int colon = rest.indexOf(':');
        if (colon >= 0) {
            version = rest.substring(colon + 1);
            rest = rest.substring(0, colon);
        }
        return new ChaincodeName(rest, version, channel);
    }
}
