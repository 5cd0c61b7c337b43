package org.banyan.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import java.util.stream.Stream;
import org.banyan.ledger.lifecycle.ChaincodePackages;

/**
 * Builds Fabric chaincode packages ({@code peer lifecycle chaincode package}'s format) from what a Java developer
 * has after {@code mvn package}: the chaincode's jar and its dependencies. The dependencies are the jar manifest's
 * {@code Class-Path} entries when it has them (Maven's {@code addClasspath}), else the jars in a {@code lib/}
 * folder beside it, else none (a fat jar). See docs/chaincode.md for the package layout the node runs.
 */
final class ChaincodePackaging {
    /** How the nodes run the chaincode. */
    enum Mode {
        /** Each node launches the package as a supervised child JVM (package type {@code java}). */
        PROCESS,
        /** Each node loads it into its own JVM (package type {@code java-in-process}). */
        INPROCESS,
        /** The operator runs the chaincode as a server the nodes dial (package type {@code ccaas}). */
        SERVICE;

        static Mode parse(String text) {
            try {
                return valueOf(text.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new CommandFailure(ExitCodes.USAGE, "unknown mode '" + text
                        + "': use process, inprocess or service");
            }
        }
    }

    /** Jars in one package at most (the node refuses more). */
    static final int JARS_MAX = 1_000;

    private ChaincodePackaging() {}

    /** A package of the jar and its dependencies, of the type {@code mode} asks for (process or inprocess). */
    static byte[] javaPackage(String label, Path jar, Mode mode) {
        requireJar(jar);
        Map<String, byte[]> files = new LinkedHashMap<>();
        try {
            files.put(jar.getFileName().toString(), Files.readAllBytes(jar));
            for (Path dependency : dependencies(jar)) {
                files.put("lib/" + dependency.getFileName(), Files.readAllBytes(dependency));
            }
        } catch (IOException e) {
            throw new CommandFailure(ExitCodes.FAILURE, "cannot read " + jar + " or its dependencies: "
                    + e.getMessage());
        }
        String type = mode == Mode.INPROCESS ? "java-in-process" : "java";
        return ChaincodePackages.filesPackage(label, type, "", files);
    }

    /** Fails with what to do when {@code jar} is not a file. */
    static void requireJar(Path jar) {
        if (!Files.isRegularFile(jar)) {
            throw new CommandFailure(ExitCodes.FAILURE, "jar not found: " + jar + ". Build your chaincode first "
                    + "(for the sample: ./mvnw -pl samples -am package -DskipTests) and pass its jar with --jar");
        }
    }

    /** Fabric's chaincode-as-a-service package: the nodes dial {@code address} (plaintext gRPC). */
    static byte[] servicePackage(String label, String address) {
        if (address == null || !address.matches("[^:\\s]+:\\d{1,5}")) {
            throw new CommandFailure(ExitCodes.USAGE, "--mode service needs --address host:port of the running "
                    + "chaincode server, got '" + address + "'");
        }
        return ChaincodePackages.chaincodePackage(label, "ccaas", "", Map.of("connection.json",
                "{\"address\":\"" + address + "\",\"dial_timeout\":\"10s\",\"tls_required\":false}"));
    }

    private static List<Path> dependencies(Path jar) throws IOException {
        List<Path> fromManifest = manifestClassPath(jar);
        if (!fromManifest.isEmpty()) {
            return fromManifest;
        }
        Path lib = jar.toAbsolutePath().getParent().resolve("lib");
        if (!Files.isDirectory(lib)) {
            return List.of();
        }
        try (Stream<Path> jars = Files.list(lib)) {
            List<Path> list = jars.filter(p -> p.getFileName().toString().endsWith(".jar")).sorted().toList();
            return bounded(list, lib);
        }
    }

    private static List<Path> manifestClassPath(Path jar) throws IOException {
        Manifest manifest;
        try (JarFile file = new JarFile(jar.toFile())) {
            manifest = file.getManifest();
        }
        String classPath = manifest == null ? null : manifest.getMainAttributes().getValue("Class-Path");
        if (classPath == null || classPath.isBlank()) {
            return List.of();
        }
        Path base = jar.toAbsolutePath().getParent();
        List<Path> entries = new ArrayList<>();
        for (String entry : classPath.trim().split("\\s+")) {
            Path dependency = base.resolve(entry).normalize();
            if (!Files.isRegularFile(dependency)) {
                throw new CommandFailure(ExitCodes.FAILURE, jar + " names " + entry + " in its manifest Class-Path,"
                        + " but " + dependency + " does not exist; copy the dependencies (mvn dependency:copy-"
                        + "dependencies) or build a jar with them inside");
            }
            entries.add(dependency);
        }
        return bounded(entries, base);
    }

    private static List<Path> bounded(List<Path> jars, Path where) {
        if (jars.size() > JARS_MAX) {
            throw new CommandFailure(ExitCodes.FAILURE, "more than " + JARS_MAX + " dependency jars under " + where);
        }
        return jars;
    }

}
