package org.banyan.cli;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Module dependencies point one way: crypto → protocol → ledger → cli. Maven already refuses a cycle
 * between modules; these rules also catch a lower module reaching up by reflection-free static use.
 */
class ArchitectureTest {
    private static JavaClasses classes;

    @BeforeAll
    static void importClasses() {
        classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("org.banyan");
    }

    @Test
    void cryptoDependsOnNoOtherBanyanModule() {
        noClasses().that().resideInAPackage("org.banyan.crypto..")
                .should().dependOnClassesThat().resideInAnyPackage("org.banyan.protocol..", "org.banyan.ledger..",
                        "org.banyan.cli..")
                .check(classes);
    }

    @Test
    void protocolDependsOnlyOnCrypto() {
        noClasses().that().resideInAPackage("org.banyan.protocol..")
                .should().dependOnClassesThat().resideInAnyPackage("org.banyan.ledger..", "org.banyan.cli..")
                .check(classes);
    }

    @Test
    void consensusCoreDependsOnlyOnCryptoPrimitives() {
        // The BFT core orders opaque payloads: no Fabric formats, no storage, no network (docs/consensus.md).
        noClasses().that().resideInAPackage("org.banyan.consensus..")
                .should().dependOnClassesThat().resideInAnyPackage("org.banyan.protocol..", "org.banyan.ledger..",
                        "org.banyan.node..", "org.banyan.cli..", "org.hyperledger..", "io.grpc..")
                .check(classes);
    }

    @Test
    void onlyTheCliDependsOnTheNode() {
        noClasses().that().resideInAnyPackage("org.banyan.crypto..", "org.banyan.protocol..", "org.banyan.ledger..",
                        "org.banyan.consensus..")
                .should().dependOnClassesThat().resideInAnyPackage("org.banyan.node..")
                .check(classes);
    }

    @Test
    void ledgerDoesNotDependOnTheCli() {
        noClasses().that().resideInAPackage("org.banyan.ledger..")
                .should().dependOnClassesThat().resideInAnyPackage("org.banyan.cli..")
                .check(classes);
    }

    @Test
    void validationHashingAndStorageReadNoClock() {
        // Determinism rule: hashing, parsing, configuration, MSP validation, signatures and the ledger are pure
        // functions of their inputs; time is passed in (MSP validation takes `Instant now`).
        noClasses().that().resideInAnyPackage("org.banyan.protocol..", "org.banyan.crypto.msp..",
                        "org.banyan.crypto.sign..", "org.banyan.ledger..")
                .should().callMethod(System.class, "currentTimeMillis")
                .orShould().callMethod(java.time.Instant.class, "now")
                .orShould().callMethod(java.time.Clock.class, "systemUTC")
                .orShould().callMethod(java.time.Clock.class, "systemDefaultZone")
                .check(classes);
    }
}
