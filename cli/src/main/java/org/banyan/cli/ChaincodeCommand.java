package org.banyan.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import org.banyan.ledger.lifecycle.ChaincodePackage;
import org.hyperledger.fabric.client.GatewayException;
import org.hyperledger.fabric.protos.peer.lifecycle.QueryChaincodeDefinitionResult;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "chaincode", mixinStandardHelpOptions = true,
        description = "Fabric's chaincode lifecycle on a network: deploy in one step, or package, install, approve,"
                + " commit and list one by one.",
        subcommands = {ChaincodeCommand.Deploy.class, ChaincodeCommand.PackageStep.class,
            ChaincodeCommand.Install.class, ChaincodeCommand.Approve.class, ChaincodeCommand.Commit.class,
            ChaincodeCommand.ListStep.class})
final class ChaincodeCommand extends CommandGroup {
    /** What identifies the chaincode's code: a jar (process, inprocess) or a running server (service). */
    static final class CodeOptions {
        @Option(names = "--jar", description = "The chaincode's jar (its dependencies: the manifest's Class-Path,"
                + " else lib/ beside it).")
        Path jar;

        @Option(names = "--mode", defaultValue = "process", description = "process (each node runs it as a child"
                + " JVM), inprocess (inside each node's JVM), service (you run it; the nodes dial --address)."
                + " Default: ${DEFAULT-VALUE}.")
        String mode;

        @Option(names = "--address", description = "host:port of the chaincode server (--mode service).")
        String address;

        /** Fails early on options that cannot make a package (a missing jar, a bad mode or address). */
        void check() {
            ChaincodePackaging.Mode parsed = ChaincodePackaging.Mode.parse(mode);
            if (parsed == ChaincodePackaging.Mode.SERVICE) {
                ChaincodePackaging.servicePackage("check", address);
            } else if (jar == null) {
                throw new CommandFailure(ExitCodes.USAGE, "--mode " + mode + " needs --jar PATH (the chaincode's jar)");
            } else {
                ChaincodePackaging.requireJar(jar);
            }
        }

        byte[] packageBytes(String label) {
            ChaincodePackaging.Mode parsed = ChaincodePackaging.Mode.parse(mode);
            if (parsed == ChaincodePackaging.Mode.SERVICE) {
                return ChaincodePackaging.servicePackage(label, address);
            }
            if (jar == null) {
                throw new CommandFailure(ExitCodes.USAGE, "--mode " + mode + " needs --jar PATH (the chaincode's jar)");
            }
            return ChaincodePackaging.javaPackage(label, jar, parsed);
        }
    }

    /** A definition's fields. */
    static final class DefinitionOptions {
        // --version names the chaincode's version here (as in Fabric's peer CLI), so these commands offer --help
        // only, not picocli's standard --version.
        @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help message and exit.")
        boolean help;

        @Option(names = "--name", required = true, description = "The chaincode's name on the channel.")
        String name;

        @Option(names = "--version", description = "The definition's version (default: the sequence).")
        String version;

        @Option(names = "--policy", description = "Endorsement policy in Fabric's syntax, e.g."
                + " \"AND('Org1MSP.peer','Org2MSP.peer')\", or a channel policy path (default:"
                + " /Channel/Application/Endorsement, a majority of organisations).")
        String policy;

        @Option(names = "--init-required", description = "Require an Init transaction before any other.")
        boolean initRequired;

        LifecycleClient.Definition definition(long sequence) {
            return new LifecycleClient.Definition(name, version == null ? Long.toString(sequence) : version, sequence,
                    LifecycleClient.policy(policy), initRequired);
        }
    }

    @Command(name = "deploy", usageHelpAutoWidth = true,
            description = "Packages the chaincode, installs it on every organisation's node, has every organisation"
                    + " approve it, commits it (sequence: one above the committed definition, or 1), and waits until"
                    + " every node runs it.")
    static final class Deploy implements Callable<Integer> {
        @Mixin
        ClientOptions client;
        @Mixin
        DefinitionOptions definitionOptions;
        @Mixin
        CodeOptions code;

        @Option(names = "--ready-timeout-seconds", defaultValue = "180",
                description = "How long to wait for every node to run the chaincode (default: ${DEFAULT-VALUE}).")
        long readySeconds;

        @Override
        public Integer call() {
            // Bad input fails before anything is installed.
            LifecycleClient.policy(definitionOptions.policy);
            code.check();
            NetworkDescription network = client.network();
            NetworkDescription.Org first = client.organisation(network);
            long sequence = LifecycleClient.definition(network, first, definitionOptions.name)
                    .map(QueryChaincodeDefinitionResult::getSequence).orElse(0L) + 1;
            LifecycleClient.Definition definition = definitionOptions.definition(sequence);
            String label = label(definition.name(), definition.version());
            byte[] packageBytes = code.packageBytes(label);
            System.out.printf("package %s (%,d bytes, mode %s)%n", label, packageBytes.length, code.mode);
            String packageId = "";
            for (NetworkDescription.Org org : network.orgs()) {
                packageId = LifecycleClient.install(org, packageBytes);
                System.out.printf("installed on %s: %s%n", org.mspId(), packageId);
            }
            LifecycleClient.approveAll(network, definition, packageId);
            System.out.printf("approved by %s (sequence %d, version %s)%n", String.join(", ",
                    network.orgs().stream().map(NetworkDescription.Org::mspId).toList()), sequence,
                    definition.version());
            LifecycleClient.commit(network, first, definition);
            System.out.printf("committed %s sequence %d on channel %s%n", definition.name(), sequence, network.channel());
            awaitRunning(network, definition.name(), Duration.ofSeconds(readySeconds));
            System.out.printf("ready: %s runs on %d organisations' nodes%n", definition.name(), network.orgs().size());
            return ExitCodes.OK;
        }
    }

    /**
     * Waits until each organisation's node answers the chaincode: the contract API's metadata function evaluated
     * on that organisation alone succeeds — or fails in the chaincode itself, which also proves it runs.
     */
    static void awaitRunning(NetworkDescription network, String name, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        for (NetworkDescription.Org org : network.orgs()) {
            try (FabricConnection connection = FabricConnection.open(org, org.users().getFirst().identity())) {
                var contract = connection.gateway.getNetwork(network.channel()).getContract(name);
                String lastError = "";
                while (true) {
                    try {
                        contract.newProposal("org.hyperledger.fabric:GetMetadata")
                                .setEndorsingOrganizations(org.mspId()).build().evaluate();
                        break;
                    } catch (GatewayException e) {
                        if (e.getStatus().getCode() == io.grpc.Status.Code.UNKNOWN) {
                            break; // the chaincode answered, with an error of its own
                        }
                        lastError = e.getMessage();
                    }
                    if (System.nanoTime() > deadline) {
                        throw new CommandFailure(ExitCodes.NOT_READY, name + " is not running on " + org.mspId()
                                + "'s node after " + timeout.toSeconds() + " s: " + lastError + "\nSee the node's log"
                                + " (banyan network status --dir " + "<dir>) and its chaincode log under its data"
                                + " directory's chaincodes/.");
                    }
                    sleep(250);
                }
            }
            System.out.printf("  %s runs %s%n", org.mspId(), name);
        }
    }

    @Command(name = "package", mixinStandardHelpOptions = true,
            description = "Writes a Fabric chaincode package (tar.gz) and prints its package ID.")
    static final class PackageStep implements Callable<Integer> {
        @Option(names = "--label", required = true, description = "The package label, e.g. basic_1.0.")
        String label;
        @Option(names = "--out", required = true, description = "The package file to write.")
        Path out;
        @Mixin
        CodeOptions code;

        @Override
        public Integer call() throws IOException {
            requireLabel(label);
            byte[] bytes = code.packageBytes(label);
            Files.write(out, bytes);
            System.out.printf("wrote %s (%,d bytes)%npackage ID %s%n", out, bytes.length,
                    ChaincodePackage.packageId(label, bytes));
            return ExitCodes.OK;
        }
    }

    @Command(name = "install", mixinStandardHelpOptions = true,
            description = "Installs a package on the organisation's node (--org), or on every organisation's node.")
    static final class Install implements Callable<Integer> {
        @Mixin
        ClientOptions client;
        @Option(names = "--package", required = true, description = "The package file (banyan chaincode package).")
        Path packageFile;

        @Override
        public Integer call() throws IOException {
            if (!Files.isRegularFile(packageFile)) {
                throw new CommandFailure(ExitCodes.FAILURE, "package not found: " + packageFile
                        + " (banyan chaincode package writes one)");
            }
            byte[] bytes = Files.readAllBytes(packageFile);
            NetworkDescription network = client.network();
            for (NetworkDescription.Org org : chosen(client, network)) {
                System.out.printf("installed on %s: %s%n", org.mspId(), LifecycleClient.install(org, bytes));
            }
            return ExitCodes.OK;
        }
    }

    @Command(name = "approve", usageHelpAutoWidth = true,
            description = "The organisation's admin (--org, or every organisation's) approves a definition.")
    static final class Approve implements Callable<Integer> {
        @Mixin
        ClientOptions client;
        @Mixin
        DefinitionOptions definitionOptions;
        @Option(names = "--sequence", required = true, description = "The definition's sequence (1 for the first).")
        long sequence;
        @Option(names = "--package-id", defaultValue = "", description = "The installed package the organisation"
                + " runs it with (empty: approve without running it).")
        String packageId;

        @Override
        public Integer call() {
            NetworkDescription network = client.network();
            LifecycleClient.Definition definition = definitionOptions.definition(sequence);
            for (NetworkDescription.Org org : chosen(client, network)) {
                LifecycleClient.approve(network, org, definition, packageId);
                System.out.printf("approved by %s%n", org.mspId());
            }
            return ExitCodes.OK;
        }
    }

    @Command(name = "commit", usageHelpAutoWidth = true,
            description = "Commits an approved definition (the gateway collects a majority's endorsements).")
    static final class Commit implements Callable<Integer> {
        @Mixin
        ClientOptions client;
        @Mixin
        DefinitionOptions definitionOptions;
        @Option(names = "--sequence", required = true, description = "The definition's sequence.")
        long sequence;

        @Override
        public Integer call() {
            NetworkDescription network = client.network();
            LifecycleClient.commit(network, client.organisation(network), definitionOptions.definition(sequence));
            System.out.printf("committed %s sequence %d%n", definitionOptions.name, sequence);
            return ExitCodes.OK;
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true,
            description = "Lists the packages installed on the organisation's node and the channel's committed"
                    + " definitions.")
    static final class ListStep implements Callable<Integer> {
        @Mixin
        ClientOptions client;

        @Override
        public Integer call() {
            NetworkDescription network = client.network();
            NetworkDescription.Org org = client.organisation(network);
            System.out.printf("installed on %s:%n", org.mspId());
            LifecycleClient.installed(org).getInstalledChaincodesList().forEach(installed ->
                    System.out.printf("  %s%n", installed.getPackageId()));
            System.out.printf("committed on channel %s:%n", network.channel());
            LifecycleClient.definitions(network, org).getChaincodeDefinitionsList().forEach(definition ->
                    System.out.printf("  %s  sequence %d  version %s%s%n", definition.getName(),
                            definition.getSequence(), definition.getVersion(),
                            definition.getInitRequired() ? "  init required" : ""));
            return ExitCodes.OK;
        }
    }

    private static List<NetworkDescription.Org> chosen(ClientOptions client, NetworkDescription network) {
        return client.org == null ? network.orgs() : List.of(client.organisation(network));
    }

    /** Fabric's package label: letters, digits, {@code _.+-}. */
    static String label(String name, String version) {
        String label = (name + "_" + version).replaceAll("[^A-Za-z0-9_.+-]", "_");
        requireLabel(label);
        return label;
    }

    private static void requireLabel(String label) {
        if (!ChaincodePackage.validLabel(label)) {
            throw new CommandFailure(ExitCodes.USAGE, "invalid package label '" + label
                    + "': use letters, digits and _ . + - only");
        }
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CommandFailure(ExitCodes.FAILURE, "interrupted");
        }
    }
}
