package org.banyan.ledger.storage;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DirectoriesTest {
    @TempDir
    Path dir;

    @Test
    void createsMissingParentsAndAcceptsAnExistingDirectory() throws IOException {
        Path nested = dir.resolve("ledger").resolve("channel").resolve("blocks");
        Directories.createDurably(nested);
        assertThat(nested).isDirectory();
        Directories.createDurably(nested);
        assertThat(nested).isDirectory();
    }
}
