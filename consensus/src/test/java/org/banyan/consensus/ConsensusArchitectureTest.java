package org.banyan.consensus;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The core is pure: no clock, randomness, threads, IO or Fabric/ledger types; from Banyan only Assert and Hashes. */
class ConsensusArchitectureTest {
    private static JavaClasses core;

    @BeforeAll
    static void importClasses() {
        core = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("org.banyan.consensus");
    }

    @Test
    void usesNoBanyanModuleButAssertAndHashes() {
        classes().that().resideInAPackage("org.banyan.consensus..")
                .should().onlyDependOnClassesThat(com.tngtech.archunit.base.DescribedPredicate.describe(
                        "JDK, org.banyan.consensus, Assert or Hashes",
                        c -> !c.getPackageName().startsWith("org.banyan")
                                || c.getPackageName().startsWith("org.banyan.consensus")
                                || c.getName().equals("org.banyan.crypto.Assert")
                                || c.getName().equals("org.banyan.crypto.Hashes")))
                .check(core);
    }

    @Test
    void readsNoClockUsesNoRandomnessThreadsOrIo() {
        noClasses().that().resideInAPackage("org.banyan.consensus..")
                .should().callMethod(System.class, "currentTimeMillis")
                .orShould().callMethod(System.class, "nanoTime")
                .orShould().callMethod(java.time.Instant.class, "now")
                .orShould().dependOnClassesThat().resideInAnyPackage("java.io..", "java.nio.file..", "java.net..",
                        "java.util.concurrent..", "java.time..")
                .orShould().dependOnClassesThat().belongToAnyOf(java.util.Random.class, Thread.class,
                        java.security.SecureRandom.class)
                .check(core);
    }
}
