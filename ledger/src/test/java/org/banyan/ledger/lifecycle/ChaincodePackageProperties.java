package org.banyan.ledger.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.banyan.crypto.Hashes;

/** Fabric-format packages: what the packager writes parses back; damaged bytes are refused, never crash. */
class ChaincodePackageProperties {
    @Provide
    Arbitrary<String> labels() {
        Arbitrary<Character> first = Arbitraries.chars().alpha().numeric();
        Arbitrary<String> rest = Arbitraries.strings().alpha().numeric().withChars('_', '.', '+', '-').ofMaxLength(40);
        return Combinators.combine(first, rest).as((f, r) -> f + r);
    }

    @Provide
    Arbitrary<String> text() {
        // Any Unicode text without unpaired surrogates (which have no UTF-8 form).
        return Arbitraries.strings().withCharRange('\u0000', '\ud7ff').withCharRange('\ue000', '\uffff').ofMaxLength(60);
    }

    @Property(tries = 200)
    void whatThePackagerWritesParsesBack(@ForAll("labels") String label, @ForAll("text") String type,
                                         @ForAll("text") String path, @ForAll("text") String source) {
        byte[] pkg = ChaincodePackages.chaincodePackage(label, type, path, Map.of("src/main.go", source));
        ChaincodePackage parsed = ChaincodePackage.parse(pkg);
        assertThat(parsed.label()).isEqualTo(label);
        assertThat(parsed.type()).isEqualTo(type);
        assertThat(parsed.path()).isEqualTo(path);
        assertThat(parsed.packageId()).isEqualTo(label + ":" + HexFormat.of().formatHex(Hashes.sha256(pkg)));
        assertThat(parsed.codePackage().toByteArray()).isNotEmpty();
    }

    @Property(tries = 300)
    void damagedPackagesAreRefusedWithALifecycleError(@ForAll("labels") String label,
                                                      @ForAll @IntRange(min = 0, max = 100_000) int position,
                                                      @ForAll @IntRange(min = 1, max = 255) int flip,
                                                      @ForAll boolean truncate) {
        byte[] pkg = TestPackages.goPackage(label);
        int at = position % pkg.length;
        byte[] damaged = truncate ? Arrays.copyOf(pkg, at) : pkg.clone();
        if (!truncate) {
            damaged[at] ^= (byte) flip;
        }
        try {
            ChaincodePackage parsed = ChaincodePackage.parse(damaged);
            // Some bytes are not covered by the gzip checksum (header fields): the content must then be intact.
            assertThat(parsed.label()).isEqualTo(label);
        } catch (LifecycleException e) {
            assertThat(e.getMessage()).startsWith("could not parse as a chaincode install package: ");
        }
    }

    @Property(tries = 300)
    void damagedTarArchivesAreRefusedWithALifecycleError(@ForAll("labels") String label,
                                                         @ForAll @IntRange(min = 0, max = 100_000) int position,
                                                         @ForAll @IntRange(min = 1, max = 255) int flip) {
        // Damage inside the (uncompressed) tar, re-compressed, so the tar reader sees it.
        byte[] code = ChaincodePackages.gzip(ChaincodePackages.tar(java.util.List.of(ChaincodePackages.Entry.file("a.go", "x"))));
        byte[] tar = ChaincodePackages.tar(java.util.List.of(
                ChaincodePackages.Entry.file("metadata.json", ChaincodePackages.metadataJson("golang", "p", label)),
                ChaincodePackages.Entry.file("code.tar.gz", code)));
        tar[position % tar.length] ^= (byte) flip;
        try {
            ChaincodePackage.parse(ChaincodePackages.gzip(tar));
        } catch (LifecycleException e) {
            assertThat(e.getMessage()).startsWith("could not parse as a chaincode install package: ");
        }
    }
}
