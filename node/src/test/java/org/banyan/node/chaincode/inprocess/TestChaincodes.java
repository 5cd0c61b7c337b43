package org.banyan.node.chaincode.inprocess;

import java.io.File;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;

/**
 * Chaincode written by a test, compiled when the test runs against Fabric's shim on the test's class path, into a
 * directory of its own: so two chaincodes can hold classes of the same name, and none of them is on the test's
 * class path.
 */
final class TestChaincodes {
    private TestChaincodes() {}

    /** Compiles {@code sources} (binary class name → source) into {@code dir/classes}; returns that directory. */
    static Path compile(Path dir, Map<String, String> sources) throws IOException {
        Path src = dir.resolve("src");
        Path classes = dir.resolve("classes");
        Files.createDirectories(classes);
        List<String> arguments = new ArrayList<>(List.of("--release", "21", "-proc:none", "-d", classes.toString(),
                "-classpath", String.join(File.pathSeparator, libraries().stream().map(Path::toString).toList())));
        for (Map.Entry<String, String> source : sources.entrySet()) {
            Path file = src.resolve(source.getKey().replace('.', '/') + ".java");
            Files.createDirectories(file.getParent());
            Files.writeString(file, source.getValue());
            arguments.add(file.toString());
        }
        JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
        StringWriter errors = new StringWriter();
        int status = compiler.run(null, null, new java.io.PrintStream(new java.io.OutputStream() {
            @Override
            public void write(int b) {
                errors.write(b);
            }
        }), arguments.toArray(String[]::new));
        if (status != 0) {
            throw new AssertionError("compiling test chaincode failed:\n" + errors);
        }
        return classes;
    }

    /** What a chaincode ships besides its classes: the shim and every library jar of the test's class path. */
    static List<Path> libraries() {
        List<Path> jars = new ArrayList<>();
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            Path path = Path.of(entry);
            String name = path.getFileName().toString();
            if (name.endsWith(".jar") && !name.startsWith("banyan-")) {
                jars.add(path);
            }
        }
        return jars;
    }

    /** The chaincode's class path: its classes, then the libraries. */
    static List<Path> classPath(Path classes) {
        List<Path> path = new ArrayList<>(List.of(classes));
        path.addAll(libraries());
        return path;
    }
}
