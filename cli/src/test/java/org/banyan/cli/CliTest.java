package org.banyan.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The commands as an operator runs them, in-process: exit codes and what they print. */
class CliTest {
    @TempDir
    Path temp;

    record Run(int exitCode, String out, String err) {}

    static Run run(String... args) {
        return run(CommandLine.defaultFactory(), args);
    }

    /** As {@link #run(String...)}, with commands made by {@code factory}. */
    static Run run(CommandLine.IFactory factory, String... args) {
        PrintStream originalOut = System.out;
        PrintStream originalErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            CommandLine commandLine = Banyan.newCommandLine(factory);
            commandLine.setOut(new java.io.PrintWriter(System.out, true));
            commandLine.setErr(new java.io.PrintWriter(System.err, true));
            int code = commandLine.execute(args);
            return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(originalOut);
            System.setErr(originalErr);
        }
    }

    @Test
    void helpListsEveryCommand() {
        Run help = run("--help");
        assertThat(help.exitCode()).isZero();
        assertThat(help.out()).contains("demo", "crypto", "channel", "ledger", "node", "network", "chaincode",
                "invoke", "query", "block", "tx", "events", "apikey");
        for (List<String> command : List.of(List.of("crypto", "generate"), List.of("channel", "genesis"),
                List.of("ledger", "verify"), List.of("ledger", "show"), List.of("demo"), List.of("node", "start"),
                List.of("network"), List.of("network", "up"), List.of("network", "status"),
                List.of("network", "down"), List.of("demo", "internals"), List.of("chaincode", "deploy"),
                List.of("chaincode", "package"), List.of("chaincode", "install"), List.of("chaincode", "approve"),
                List.of("chaincode", "commit"), List.of("chaincode", "list"), List.of("invoke"), List.of("query"),
                List.of("block", "get"), List.of("tx", "get"), List.of("events"), List.of("apikey", "create"))) {
            List<String> args = new java.util.ArrayList<>(command);
            args.add("--help");
            Run sub = run(args.toArray(String[]::new));
            assertThat(sub.exitCode()).as("%s --help", command).isZero();
            assertThat(sub.out()).as("%s --help", command).contains("Usage: banyan " + String.join(" ", command));
        }
    }

    @Test
    void cryptoGenerateWritesFabricLayoutThatOpensslAccepts() throws Exception {
        Path out = temp.resolve("crypto");
        Run generate = run("crypto", "generate", "--orgs", "3", "--out", out.toString());
        assertThat(generate.exitCode()).as(generate.err()).isZero();
        for (int org = 1; org <= 3; org++) {
            Path orgDir = out.resolve("peerOrganizations/org" + org + ".example.com");
            assertThat(orgDir.resolve("msp/config.yaml")).isRegularFile();
            assertThat(orgDir.resolve("peers/peer0.org" + org + ".example.com/msp/keystore")).isDirectory();
            assertThat(orgDir.resolve("peers/peer0.org" + org + ".example.com/tls/server.crt")).isRegularFile();
            assertThat(orgDir.resolve("users/Admin@org" + org + ".example.com/msp/signcerts")).isDirectory();
            assertThat(orgDir.resolve("users/User1@org" + org + ".example.com/msp/signcerts")).isDirectory();
        }
        Path ca = out.resolve("peerOrganizations/org2.example.com/ca/ca.org2.example.com-cert.pem");
        Path otherCa = out.resolve("peerOrganizations/org1.example.com/ca/ca.org1.example.com-cert.pem");
        Path peerCert = single(out.resolve("peerOrganizations/org2.example.com/peers/peer0.org2.example.com/msp/signcerts"));
        if (opensslAvailable()) {
            assertThat(openssl("verify", "-CAfile", ca.toString(), peerCert.toString())).isZero();
            assertThat(openssl("verify", "-CAfile", otherCa.toString(), peerCert.toString())).isNotZero();
        }
    }

    @Test
    void demoThenVerifyThenShowThenTamper() throws Exception {
        Path dir = temp.resolve("demo");
        Run demo = run("demo", "internals", "--dir", dir.toString(), "--orgs", "2", "--accounts", "40", "--blocks", "6",
                "--txs-per-block", "10", "--ordering-envelopes", "40");
        assertThat(demo.exitCode()).as(demo.out() + demo.err()).isZero();
        assertThat(demo.out()).contains("conserved", "BAD_CREATOR_SIGNATURE", "MVCC_READ_CONFLICT", "ok: ");
        assertThat(demo.out()).contains("80 envelopes through Fabric Broadcast", "the other 3 went on",
                "commit certificates verify");

        Path ledger = dir.resolve("ledger");
        Run verify = run("ledger", "verify", "--ledger", ledger.toString());
        assertThat(verify.exitCode()).isZero();
        assertThat(verify.out()).startsWith("demo: ok: 11 blocks");

        Run show = run("ledger", "show", "--ledger", ledger.toString(), "--channel", "demo", "--block", "5");
        assertThat(show.exitCode()).as(show.err()).isZero();
        JsonNode block = BlockJson.MAPPER.readTree(show.out());
        assertThat(block.at("/header/number").asText()).isEqualTo("5");
        assertThat(block.at("/header/dataHashValid").asBoolean()).isTrue();
        assertThat(block.at("/transactions/0/txId").asText()).hasSize(64);
        assertThat(block.at("/transactions/0/creator/mspId").asText()).isEqualTo("Org1MSP");
        assertThat(block.at("/transactions/0/validationCode").asText()).isEqualTo("VALID");

        Run missing = run("ledger", "show", "--ledger", ledger.toString(), "--channel", "demo", "--block", "99");
        assertThat(missing.exitCode()).isEqualTo(ExitCodes.FAILURE);
        assertThat(missing.err()).contains("no block 99");

        // Flip one byte inside the last block's record: verify must fail and name that block.
        Path segment = single(ledger.resolve("demo/blocks"));
        try (RandomAccessFile file = new RandomAccessFile(segment.toFile(), "rw")) {
            long position = file.length() - 100;
            file.seek(position);
            int b = file.read();
            file.seek(position);
            file.write(b ^ 0xff);
        }
        Run tampered = run("ledger", "verify", "--ledger", ledger.toString(), "--channel", "demo");
        assertThat(tampered.exitCode()).isEqualTo(ExitCodes.FAILURE);
        assertThat(tampered.out()).contains("block 10");
    }

    @Test
    void badInputGetsOneClearLine() {
        Run run = run("ledger", "verify", "--ledger", temp.resolve("nope").toString());
        assertThat(run.exitCode()).isEqualTo(ExitCodes.FAILURE);
        assertThat(run.err()).contains("is not a directory").doesNotContain("Exception");
        Run usage = run("crypto", "generate", "--orgs", "2");
        assertThat(usage.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(usage.err()).contains("--out");
    }

    private static Path single(Path dir) throws Exception {
        try (Stream<Path> files = Files.list(dir)) {
            List<Path> list = files.filter(Files::isRegularFile).sorted().toList();
            assertThat(list).as("files in %s", dir).isNotEmpty();
            return list.get(0);
        }
    }

    private static boolean opensslAvailable() {
        try {
            return new ProcessBuilder("openssl", "version").redirectErrorStream(true).start().waitFor() == 0;
        } catch (Exception e) {
            return false;
        }
    }

    private static int openssl(String... args) throws Exception {
        List<String> command = new java.util.ArrayList<>(List.of("openssl"));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        process.getInputStream().readAllBytes();
        return process.waitFor();
    }
}
