package org.banyan.node.chaincode.launch;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.jar.Attributes;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import java.util.stream.Stream;

/**
 * A prebuilt Java chaincode, extracted from a package of type {@code java}: what the node runs as a child JVM.
 *
 * <p>The format (see {@code docs/chaincode.md}): {@code code.tar.gz} holds the chaincode's jar(s) at its top
 * level and their dependencies in {@code lib/}, as {@code mvn package} with {@code dependency:copy-dependencies}
 * or Gradle's {@code installDist} lay them out; the same under {@code src/} (where {@code peer lifecycle chaincode
 * package --lang java} puts the files) is accepted. The class path is the top-level jars, then {@code lib/*.jar},
 * each sorted by name. The main class is the {@code Main-Class} of the top-level jar that names one; when none
 * does, Fabric's {@code org.hyperledger.fabric.contract.ContractRouter} (what Fabric's Java runtime starts for
 * jars it did not build), which must then be in one of the jars. A package holding a build file
 * ({@code build.gradle}, {@code build.gradle.kts}, {@code pom.xml}) is Fabric's source package: Banyan does not
 * build chaincode, so it does not run it.
 *
 * @param root the directory the jars are in (the extracted code, or its {@code src/})
 * @param classpath the jars, in class path order
 * @param mainClass the class the JVM starts
 */
record JavaPackage(Path root, List<Path> classpath, String mainClass) {
    /** Fabric's Java runtime starts this for jars without a Main-Class. */
    static final String CONTRACT_ROUTER = "org.hyperledger.fabric.contract.ContractRouter";
    static final List<String> BUILD_FILES = List.of("build.gradle", "build.gradle.kts", "pom.xml");
    /** Jars on one class path at most. */
    static final int JARS_MAX = 1_000;

    JavaPackage {
        classpath = List.copyOf(classpath);
    }

    /**
     * Inspects an extracted {@code code.tar.gz}.
     *
     * @throws NotLaunchableException a source package, no jar, several main classes, no main class and no
     *     Fabric contract router
     */
    static JavaPackage inspect(Path codeDir) throws NotLaunchableException {
        Path root = codeDir;
        if (jars(codeDir).isEmpty() && !Files.isDirectory(codeDir.resolve("lib"))
                && Files.isDirectory(codeDir.resolve("src"))) {
            root = codeDir.resolve("src");
        }
        for (String buildFile : BUILD_FILES) {
            if (Files.exists(root.resolve(buildFile))) {
                throw new NotLaunchableException("a Java source package (" + buildFile + "): Banyan does not build"
                        + " chaincode; package the built jars (chaincode jar at the top, dependencies in lib/) or"
                        + " run the chaincode yourself");
            }
        }
        List<Path> top = jars(root);
        List<Path> lib = jars(root.resolve("lib"));
        if (top.isEmpty() && lib.isEmpty()) {
            throw new NotLaunchableException("a Java package without jars: Banyan runs prebuilt jars (chaincode"
                    + " jar at the top of code.tar.gz, dependencies in lib/)");
        }
        List<Path> classpath = new ArrayList<>(top);
        classpath.addAll(lib);
        if (classpath.size() > JARS_MAX) {
            throw new NotLaunchableException("a Java package with more than " + JARS_MAX + " jars");
        }
        Map<String, String> mainClasses = new TreeMap<>();
        for (Path jar : top) {
            String main = mainClass(jar);
            if (main != null) {
                mainClasses.put(jar.getFileName().toString(), main);
            }
        }
        if (mainClasses.values().stream().distinct().count() > 1) {
            throw new NotLaunchableException("a Java package whose top-level jars name several main classes: "
                    + mainClasses);
        }
        if (!mainClasses.isEmpty()) {
            return new JavaPackage(root, classpath, mainClasses.values().iterator().next());
        }
        String routerClass = CONTRACT_ROUTER.replace('.', '/') + ".class";
        for (Path jar : classpath) {
            if (contains(jar, routerClass)) {
                return new JavaPackage(root, classpath, CONTRACT_ROUTER);
            }
        }
        throw new NotLaunchableException("a Java package with no Main-Class in a top-level jar and without"
                + " Fabric's contract router (" + CONTRACT_ROUTER + ") to start instead");
    }

    /** {@code java <options> -cp <classpath> <mainClass>}. */
    List<String> command(String javaCommand, List<String> options) {
        List<String> command = new ArrayList<>();
        command.add(javaCommand);
        command.addAll(options);
        command.add("-cp");
        command.add(String.join(File.pathSeparator, classpath.stream().map(Path::toString).toList()));
        command.add(mainClass);
        return command;
    }

    private static List<Path> jars(Path dir) {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> f.getFileName().toString().endsWith(".jar") && Files.isRegularFile(f))
                    .sorted().limit(JARS_MAX + 1L).toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dir, e);
        }
    }

    private static String mainClass(Path jar) throws NotLaunchableException {
        try (JarFile file = new JarFile(jar.toFile())) {
            Manifest manifest = file.getManifest();
            String main = manifest == null ? null : manifest.getMainAttributes().getValue(Attributes.Name.MAIN_CLASS);
            return main == null || main.isBlank() ? null : main.trim();
        } catch (IOException e) {
            throw new NotLaunchableException(jar.getFileName() + " is not a readable jar: " + e.getMessage());
        }
    }

    private static boolean contains(Path jar, String entry) throws NotLaunchableException {
        try (JarFile file = new JarFile(jar.toFile())) {
            return file.getEntry(entry) != null;
        } catch (IOException e) {
            throw new NotLaunchableException(jar.getFileName() + " is not a readable jar: " + e.getMessage());
        }
    }
}
