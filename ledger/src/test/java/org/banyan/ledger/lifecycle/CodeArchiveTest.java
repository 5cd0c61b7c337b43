package org.banyan.ledger.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Reading the files of a package's code archive: what a node extracts to run a package. */
class CodeArchiveTest {
    private static Map<String, String> files(ByteString code) throws Exception {
        Map<String, String> files = new LinkedHashMap<>();
        CodeArchive.forEachFile(code, (name, content) -> files.put(name, new String(content, StandardCharsets.UTF_8)));
        return files;
    }

    private static ByteString archive(ChaincodePackages.Entry... entries) {
        return ByteString.copyFrom(ChaincodePackages.gzip(ChaincodePackages.tar(List.of(entries))));
    }

    @Test
    void filesComeBackInArchiveOrderWithTheirContent() throws Exception {
        Map<String, byte[]> written = new LinkedHashMap<>();
        written.put("chaincode.jar", new byte[] {1, 2, 3});
        written.put("lib/shim.jar", new byte[] {4});
        ChaincodePackage parsed = ChaincodePackage.parse(ChaincodePackages.filesPackage("basic_1.0", "java", "",
                written));
        Map<String, byte[]> read = new LinkedHashMap<>();
        CodeArchive.forEachFile(parsed.codePackage(), read::put);
        assertThat(read.keySet()).containsExactly("chaincode.jar", "lib/shim.jar");
        assertThat(read.get("chaincode.jar")).containsExactly(1, 2, 3);
        assertThat(read.get("lib/shim.jar")).containsExactly(4);
    }

    @Test
    void directoriesAreSkippedAndLeadingDotSlashDropped() throws Exception {
        ByteString code = archive(new ChaincodePackages.Entry("./src/", (byte) '5', new byte[0]),
                ChaincodePackages.Entry.file("./src/connection.json", "{}"));
        assertThat(files(code)).containsExactly(Map.entry("src/connection.json", "{}"));
    }

    @Test
    void linksAndUnsafeNamesAreRefused() {
        assertThatThrownBy(() -> files(archive(new ChaincodePackages.Entry("lib", (byte) '2', new byte[0]))))
                .isInstanceOf(LifecycleException.class)
                .hasMessage("could not read the code package: tar entry lib is not a regular file or directory,"
                        + " type 50");
        for (String name : List.of("../escape", "/etc/passwd", "a/../../b", "a//b", "./", "a\\b")) {
            assertThatThrownBy(() -> files(archive(ChaincodePackages.Entry.file(name, "x"))))
                    .as(name).isInstanceOf(LifecycleException.class)
                    .hasMessage("could not read the code package: unsafe file name '" + name + "'");
        }
    }

    @Test
    void damagedArchivesAreRefused() {
        assertThatThrownBy(() -> files(ByteString.copyFromUtf8("not gzip")))
                .isInstanceOf(LifecycleException.class).hasMessageStartingWith("could not read the code package: ");
        byte[] truncated = ChaincodePackages.gzip(java.util.Arrays.copyOf(ChaincodePackages.tar(List.of(
                ChaincodePackages.Entry.file("a", "x".repeat(2_000)))), 700));
        assertThatThrownBy(() -> files(ByteString.copyFrom(truncated)))
                .isInstanceOf(LifecycleException.class).hasMessageStartingWith("could not read the code package: ");
    }
}
