package org.banyan.samples.testing;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The class path a samples chaincode would ship with, taken from the test's own: the samples' classes (main and
 * test: the shim-coverage chaincode is a test class) and every library jar, without the other Banyan modules' classes
 * — what in-process tests load the chaincode from, into its own class loader.
 */
public final class ChaincodeClassPath {
    private ChaincodeClassPath() {}

    public static List<Path> ofSamples() {
        List<Path> entries = new ArrayList<>();
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            Path path = Path.of(entry).toAbsolutePath();
            String name = path.getFileName().toString();
            boolean moduleOutput = Files.isDirectory(path) && path.getParent() != null
                    && path.getParent().getFileName().toString().equals("target");
            boolean samples = moduleOutput && path.getParent().getParent().getFileName().toString().equals("samples");
            if ((moduleOutput && !samples) || name.startsWith("banyan-")) {
                continue;
            }
            entries.add(path);
        }
        return List.copyOf(entries);
    }
}
