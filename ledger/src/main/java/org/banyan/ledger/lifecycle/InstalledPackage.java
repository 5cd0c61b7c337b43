package org.banyan.ledger.lifecycle;

import java.util.Objects;

/**
 * A package in a node's {@link PackageStore}.
 *
 * @param packageId Fabric's package ID, {@code <label>:<sha256 hex>}
 * @param label the package's label
 */
public record InstalledPackage(String packageId, String label) {
    public InstalledPackage {
        Objects.requireNonNull(packageId, "packageId");
        Objects.requireNonNull(label, "label");
    }
}
