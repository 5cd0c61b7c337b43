package org.banyan.node.chaincode.launch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which extracted Java packages the node runs, and how. */
class JavaPackageTest {
    @TempDir
    Path dir;

    /** A jar with an optional Main-Class and the named (empty) entries. */
    private static Path jar(Path file, String mainClass, String... entries) throws IOException {
        Files.createDirectories(file.getParent());
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        if (mainClass != null) {
            manifest.getMainAttributes().put(Attributes.Name.MAIN_CLASS, mainClass);
        }
        try (OutputStream out = Files.newOutputStream(file); JarOutputStream jar = new JarOutputStream(out, manifest)) {
            for (String entry : entries) {
                jar.putNextEntry(new JarEntry(entry));
                jar.closeEntry();
            }
        }
        return file;
    }

    @Test
    void theTopLevelJarsMainClassRunsWithTheLibJarsOnTheClassPath() throws Exception {
        Path app = jar(dir.resolve("chaincode.jar"), "org.example.Main");
        Path b = jar(dir.resolve("lib/b.jar"), null);
        Path a = jar(dir.resolve("lib/a.jar"), "org.example.NotThisOne");
        JavaPackage javaPackage = JavaPackage.inspect(dir);
        assertThat(javaPackage.mainClass()).isEqualTo("org.example.Main");
        assertThat(javaPackage.classpath()).containsExactly(app, a, b);
        assertThat(javaPackage.command("/jdk/bin/java", List.of("-Xmx64m"))).containsExactly("/jdk/bin/java", "-Xmx64m",
                "-cp", app + File.pathSeparator + a + File.pathSeparator + b, "org.example.Main");
    }

    @Test
    void withoutAMainClassFabricsContractRouterRunsWhenAJarHoldsIt() throws Exception {
        // What peer lifecycle chaincode package --lang java writes: the files under src/.
        jar(dir.resolve("src/contract.jar"), null);
        jar(dir.resolve("src/lib/fabric-chaincode-shim.jar"), null,
                "org/hyperledger/fabric/contract/ContractRouter.class");
        JavaPackage javaPackage = JavaPackage.inspect(dir);
        assertThat(javaPackage.root()).isEqualTo(dir.resolve("src"));
        assertThat(javaPackage.mainClass()).isEqualTo(JavaPackage.CONTRACT_ROUTER);
    }

    @Test
    void packagesTheNodeCannotRunSayWhy() throws Exception {
        Files.writeString(Files.createDirectories(dir.resolve("sources/src")).resolve("pom.xml"), "<project/>");
        assertThatThrownBy(() -> JavaPackage.inspect(dir.resolve("sources")))
                .isInstanceOf(NotLaunchableException.class)
                .hasMessageStartingWith("a Java source package (pom.xml): Banyan does not build chaincode");

        Files.writeString(Files.createDirectories(dir.resolve("readme")).resolve("README"), "hello");
        assertThatThrownBy(() -> JavaPackage.inspect(dir.resolve("readme")))
                .hasMessageStartingWith("a Java package without jars");

        jar(dir.resolve("two/a.jar"), "org.example.A");
        jar(dir.resolve("two/b.jar"), "org.example.B");
        assertThatThrownBy(() -> JavaPackage.inspect(dir.resolve("two")))
                .hasMessage("a Java package whose top-level jars name several main classes: {a.jar=org.example.A,"
                        + " b.jar=org.example.B}");

        jar(dir.resolve("nomain/a.jar"), null);
        assertThatThrownBy(() -> JavaPackage.inspect(dir.resolve("nomain")))
                .hasMessageStartingWith("a Java package with no Main-Class in a top-level jar and without Fabric's"
                        + " contract router");
    }
}
