package org.banyan.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.banyan.node.config.ChaincodeLogLevels;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code banyan network up | down | status}: a local network, one node per organisation on 127.0.0.1, run as
 * background processes and described by {@code DIR/network.json} (docs/network.md). The work is in
 * {@link NetworkUp}, {@link NetworkDown} and {@link NetworkStatus}; these classes hold the options.
 */
@Command(name = "network", mixinStandardHelpOptions = true,
        description = "A local network: one node per organisation (consenter, peer and gateway) on 127.0.0.1, "
                + "running in the background. See docs/network.md.",
        subcommands = {NetworkCommand.Up.class, NetworkCommand.Status.class, NetworkCommand.Down.class})
final class NetworkCommand extends CommandGroup {

    /** Reads {@code dir/network.json} for {@code command}, or fails with {@link ExitCodes#NOT_A_NETWORK}. */
    static NetworkDescription readNetwork(Path dir, String command) {
        Path absolute = dir.toAbsolutePath().normalize();
        if (!NetworkDescription.exists(absolute)) {
            throw new CommandFailure(ExitCodes.NOT_A_NETWORK, "network " + command + ": " + absolute
                    + " is not a Banyan network: it has no " + NetworkDescription.FILE_NAME + ". Give the --dir that"
                    + " 'banyan network up' created.");
        }
        try {
            return NetworkDescription.read(absolute);
        } catch (IllegalArgumentException e) {
            throw new CommandFailure(ExitCodes.FAILURE, "network " + command + ": " + e.getMessage());
        }
    }

    @Command(name = "up", mixinStandardHelpOptions = true,
            description = {"Creates a network in DIR and starts it, or resumes the network DIR holds.",
                    "New (DIR missing or empty; --orgs needed): writes identities (Fabric's cryptogen layout), the "
                            + "channel's genesis block and one node.yaml per organisation, starts one node per "
                            + "organisation with mutual TLS, waits until the channel runs on every node, and writes "
                            + "DIR/network.json (endpoints, identities, PIDs, logs).",
                    "Existing (DIR/network.json): starts the nodes that are not running, ledgers as they are; "
                            + "nothing is regenerated. A network already running is left alone.",
                    "Every port is checked free before anything starts. Stop with 'banyan network down --dir DIR'."})
    static final class Up implements Callable<Integer> {
        @Option(names = "--dir", paramLabel = "DIR", required = true, description = "The network's directory.")
        Path dir;

        @Option(names = "--orgs", paramLabel = "N", description = "Organisations, one node each (1 to " + NetworkUp.ORGS_MAX
                + "); needed for a new network.")
        Integer orgs;

        @Option(names = "--org-names", paramLabel = "NAME,...", split = ",",
                description = "New network: the organisations' names, e.g. CentralBank,BankA,BankB,Regulator (MSP IDs"
                        + " CentralBankMSP, ...; domains centralbank.example.com, ...). Default Org1..OrgN.")
        java.util.List<String> orgNames;

        @Option(names = "--channel", paramLabel = "NAME", description = "The channel's name (new network). Default: "
                + NetworkUp.DEFAULT_CHANNEL + ".")
        String channel;

        @Option(names = "--base-port", paramLabel = "PORT", description = "First port (new network). Node i (from 0) listens on base+i "
                + "(consenter), base+100+i (gateway gRPC), base+200+i (operations HTTP), base+300+i (chaincode), "
                + "base+400+i (REST). Default: " + NetworkUp.DEFAULT_BASE_PORT + ".")
        Integer basePort;

        @Option(names = "--users", paramLabel = "N", defaultValue = "1",
                description = "Client users per organisation (new network). Default: ${DEFAULT-VALUE}.")
        int users;

        @Option(names = "--ready-timeout-seconds", paramLabel = "SECONDS", defaultValue = "60",
                description = "How long to wait for every node to be ready. Default: ${DEFAULT-VALUE}.")
        long readyTimeoutSeconds;

        @Option(names = "--node-jvm-options", paramLabel = "OPTIONS",
                description = "JVM options of the nodes this command starts, space-separated, instead of the defaults"
                        + " for a development network (" + "-Xmx384m -XX:+UseSerialGC -XX:TieredStopAtLevel=1"
                        + ": small and quick to start); benchmarks give e.g. \"-Xmx1g -XX:+UseParallelGC\".")
        String nodeJvmOptions;

        @Option(names = "--chaincode-log-level", paramLabel = "LEVEL",
                description = "New network: the log level of the chaincode and the contract API on every node ("
                        + ChaincodeLogLevels.NAMES + "; default info, as Fabric's peer). The contract API logs three"
                        + " lines per transaction at info; benchmarks use warning.")
        String chaincodeLogLevel;

        private final NodeLauncher launcher;

        /** The launcher picocli uses: nodes run on this JVM's java and class path. */
        Up() {
            this(null);
        }

        /** Tests give a launcher with their own class path. */
        Up(NodeLauncher launcher) {
            this.launcher = launcher;
        }

        @Override
        public Integer call() throws InterruptedException {
            if (readyTimeoutSeconds < 1) {
                throw new CommandFailure(ExitCodes.USAGE, "network up: --ready-timeout-seconds must be at least 1.");
            }
            NodeLauncher chosen = launcher == null ? NodeLauncher.ofThisJvm() : launcher;
            if (nodeJvmOptions != null && !nodeJvmOptions.isBlank()) {
                chosen = chosen.withJvmOptions(java.util.Arrays.asList(nodeJvmOptions.trim().split("\\s+")));
            }
            return new NetworkUp(chosen, System.out).run(
                    new NetworkUp.Request(dir, orgs, channel, basePort, users,
                            TimeUnit.SECONDS.toMillis(readyTimeoutSeconds), chaincodeLogLevel, orgNames));
        }
    }

    @Command(name = "status", mixinStandardHelpOptions = true,
            description = {"Shows each node of the network in DIR: whether its process runs, /healthz, and the "
                    + "channel's height, round and leader.",
                    "Exit code 0 when every node is running and ready, " + ExitCodes.NOT_READY + " otherwise."})
    static final class Status implements Callable<Integer> {
        @Option(names = "--dir", paramLabel = "DIR", required = true, description = "The network's directory.")
        Path dir;

        @Override
        public Integer call() {
            return new NetworkStatus(System.out).run(dir.toAbsolutePath().normalize());
        }
    }

    @Command(name = "down", mixinStandardHelpOptions = true,
            description = {"Stops the nodes of the network in DIR (SIGTERM, then SIGKILL after "
                    + NodeStopper.TERM_TIMEOUT_MILLIS / 1000 + " s) and the chaincode processes they started.",
                    "Only the processes network.json records are signalled, and only while they still run that "
                            + "node. Identities, ledgers and logs stay: 'banyan network up --dir DIR' resumes."})
    static final class Down implements Callable<Integer> {
        @Option(names = "--dir", paramLabel = "DIR", required = true, description = "The network's directory.")
        Path dir;

        @Override
        public Integer call() throws InterruptedException {
            return new NetworkDown(System.out).run(dir.toAbsolutePath().normalize());
        }
    }
}
