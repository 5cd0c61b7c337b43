package org.banyan.samples.testing;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Stream;
import org.banyan.ledger.lifecycle.ChaincodePackages;

/**
 * The samples' chaincode as a node receives it, built by the tests themselves: they run before Maven's
 * {@code package} phase writes {@code target/banyan-samples-*.jar} and {@code target/lib/}. The compiled classes
 * ({@code target/classes}, or {@code target/test-classes} for test chaincode) become the chaincode jar, and the
 * module's runtime dependencies become {@code lib/}: the build writes their paths to
 * {@code target/chaincode-classpath.txt} ({@code dependency:build-classpath}, runtime scope, in
 * {@code generate-test-resources}). The same jars are the class path of chaincode a test starts itself, rather
 * than the whole test class path, so that Fabric's contract router scans only what a deployed chaincode holds.
 */
public final class ChaincodeJars {
    private static final String CLASSPATH_FILE = "chaincode-classpath.txt";

    private ChaincodeJars() {}

    /** The directory (or jar) {@code type} was loaded from: {@code target/classes} or {@code target/test-classes}. */
    public static Path classesOf(Class<?> type) {
        try {
            return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException("cannot locate the classes of " + type, e);
        }
    }

    /** The samples module's runtime dependencies (the shim and what it needs), as the build listed them. */
    public static List<Path> runtimeDependencies() {
        Path target = classesOf(ChaincodeJars.class).getParent();
        Path file = target.resolve(CLASSPATH_FILE);
        try {
            String text = Files.readString(file).trim();
            return Stream.of(text.split(File.pathSeparator)).filter(s -> !s.isBlank()).map(Path::of).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(file + " is missing: build with Maven (generate-test-resources writes it)",
                    e);
        }
    }

    /** A class path for a chaincode a test starts: the given class directories, then the runtime dependencies. */
    public static String classpath(Class<?>... chaincodeClasses) {
        List<String> entries = new ArrayList<>();
        for (Class<?> type : chaincodeClasses) {
            String entry = classesOf(type).toString();
            if (!entries.contains(entry)) {
                entries.add(entry);
            }
        }
        runtimeDependencies().forEach(jar -> entries.add(jar.toString()));
        return String.join(File.pathSeparator, entries);
    }

    /**
     * A runnable Java chaincode package (type {@code java}, see {@code docs/chaincode.md}): {@code chaincode.jar}
     * made of the classes {@code mainClass} was compiled with, naming it as {@code Main-Class}, and the runtime
     * dependencies in {@code lib/}.
     */
    public static byte[] javaPackage(String label, Class<?> mainClass) {
        Map<String, byte[]> files = new LinkedHashMap<>();
        files.put("chaincode.jar", jar(mainClass));
        for (Path dependency : runtimeDependencies()) {
            try {
                files.put("lib/" + dependency.getFileName(), Files.readAllBytes(dependency));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + dependency, e);
            }
        }
        return ChaincodePackages.filesPackage(label, "java", "", files);
    }

    /** Fabric's {@code ccaas} package: {@code connection.json} naming a plaintext chaincode server. */
    public static byte[] ccaasPackage(String label, String address) {
        return ChaincodePackages.chaincodePackage(label, "ccaas", "", Map.of("connection.json",
                "{\"address\":\"" + address + "\",\"dial_timeout\":\"10s\",\"tls_required\":false}"));
    }

    /** A jar of the classes {@code mainClass} was compiled with, naming it as {@code Main-Class}. */
    public static byte[] jar(Class<?> mainClass) {
        return jar(classesOf(mainClass), mainClass.getName());
    }

    private static byte[] jar(Path classes, String mainClass) {
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        manifest.getMainAttributes().put(Attributes.Name.MAIN_CLASS, mainClass);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (JarOutputStream jar = new JarOutputStream(bytes, manifest); Stream<Path> files = Files.walk(classes)) {
            for (Path file : files.filter(Files::isRegularFile).sorted().toList()) {
                jar.putNextEntry(new JarEntry(classes.relativize(file).toString().replace(File.separatorChar, '/')));
                jar.write(Files.readAllBytes(file));
                jar.closeEntry();
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot jar " + classes, e);
        }
        return bytes.toByteArray();
    }
}
