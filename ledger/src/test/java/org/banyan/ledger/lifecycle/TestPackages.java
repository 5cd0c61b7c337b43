package org.banyan.ledger.lifecycle;

import java.util.Map;

/** Packages the lifecycle tests install. */
final class TestPackages {
    private TestPackages() {}

    /** A Go chaincode package with one source file. */
    static byte[] goPackage(String label) {
        return ChaincodePackages.chaincodePackage(label, "golang", "github.com/example/" + label,
                Map.of("src/main.go", "package main\n\nfunc main() {}\n// " + label + "\n"));
    }
}
