package org.banyan.cli;

import com.google.protobuf.InvalidProtocolBufferException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.hyperledger.fabric.client.ChaincodeEvent;
import org.hyperledger.fabric.client.CloseableIterator;
import org.hyperledger.fabric.client.Contract;
import org.hyperledger.fabric.client.GatewayException;
import org.hyperledger.fabric.client.Network;
import org.hyperledger.fabric.client.Status;
import org.hyperledger.fabric.client.SubmittedTransaction;
import org.hyperledger.fabric.client.Transaction;
import org.hyperledger.fabric.protos.peer.TxValidationCode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The README's run command: a four-organisation network on this machine, the asset-transfer sample deployed on it,
 * and a short story told through Fabric's own client SDK — each organisation's user working through its own
 * organisation's gateway, a transaction that fails its endorsement policy, two that conflict, chaincode events
 * followed as they commit — then where to look next. The network keeps running afterwards;
 * {@code banyan network down --dir demo-network} stops it.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = {"Brings up a four-organisation network in ./demo-network (or uses the one running there),"
                + " deploys the asset-transfer sample, and runs a short story through each organisation's gateway:"
                + " assets created and transferred, a policy failure and an MVCC conflict caught, events followed.",
            "The network keeps running; stop it with: banyan network down --dir demo-network"},
        subcommands = {DemoInternalsCommand.class, DemoFinanceCommand.class})
final class DemoCommand implements Callable<Integer> {
    static final String CHAINCODE = "basic";

    @Option(names = "--dir", defaultValue = "demo-network", description = "The network directory. Default: ${DEFAULT-VALUE}.")
    Path dir;

    @Option(names = "--orgs", defaultValue = "4", description = "Organisations of a new network. Default: ${DEFAULT-VALUE}.")
    int orgs;

    @Option(names = "--base-port", defaultValue = "7050",
            description = "First port of a new network (it uses base..base+400+orgs). Default: ${DEFAULT-VALUE}.")
    int basePort;

    @Option(names = "--jar", description = "The sample chaincode's jar (default: samples/target/banyan-samples-*.jar"
            + " of this build).")
    Path jar;

    private final NodeLauncher launcher;

    DemoCommand() {
        this(NodeLauncher.ofThisJvm());
    }

    DemoCommand(NodeLauncher launcher) {
        this.launcher = launcher;
    }

    @Override
    public Integer call() throws Exception {
        long startNanos = System.nanoTime();
        System.out.printf("Banyan demo: a %d-organisation BFT network in %s, Fabric's asset-transfer chaincode, and"
                + " Fabric's own client SDK%n%n", orgs, dir.toAbsolutePath());
        heading("1. The network");
        bringUp();
        NetworkDescription network = NetworkDescription.read(dir);

        heading("2. The chaincode");
        deploy(network);

        heading("3. The story (every step is a Fabric client call through one organisation's gateway)");
        Story story = new Story(network);
        story.run();

        heading("4. Where to look next");
        whereNext(network, story);
        System.out.printf("%ndemo finished in %.1f s; the network keeps running: banyan network down --dir %s%n",
                (System.nanoTime() - startNanos) / 1e9, dir);
        return ExitCodes.OK;
    }

    private void bringUp() throws InterruptedException {
        if (NetworkDescription.exists(dir)) {
            NetworkDescription network = NetworkDescription.read(dir);
            if (network.nodes().stream().map(NodeProcessState::of).allMatch(NodeProcessState::running)) {
                System.out.printf("using the network already running in %s (%d nodes)%n", dir, network.nodes().size());
                return;
            }
        }
        new NetworkUp(launcher, System.out).run(new NetworkUp.Request(dir, NetworkDescription.exists(dir) ? null : orgs,
                null, NetworkDescription.exists(dir) ? null : basePort, 2, TimeUnit.SECONDS.toMillis(90), null, null));
    }

    private void deploy(NetworkDescription network) throws Exception {
        var defined = LifecycleClient.definition(network, network.orgs().getFirst(), CHAINCODE);
        if (defined.isPresent()) {
            System.out.printf("%s is already deployed (sequence %d); waiting until every node runs it%n", CHAINCODE,
                    defined.get().getSequence());
            ChaincodeCommand.awaitRunning(network, CHAINCODE, Duration.ofSeconds(120));
            return;
        }
        Path sample = jar != null ? jar : sampleJar();
        System.out.printf("banyan chaincode deploy --dir %s --name %s --jar %s --mode inprocess%n", dir, CHAINCODE,
                sample);
        int exit = Banyan.newCommandLine().execute("chaincode", "deploy", "--dir", dir.toString(), "--name", CHAINCODE,
                "--jar", sample.toString(), "--mode", "inprocess");
        if (exit != ExitCodes.OK) {
            throw new CommandFailure(exit, "demo: the deploy failed (above); the network is still running:"
                    + " banyan network status --dir " + dir);
        }
    }

    /** The story's steps, each through one organisation's connection; chaincode events are followed meanwhile. */
    private final class Story {
        private final NetworkDescription network;
        private final List<FabricConnection> connections = new ArrayList<>();
        private final BlockingQueue<ChaincodeEvent> events = new LinkedBlockingQueue<>(10_000);
        private final String asset = "car-" + Long.toString(System.currentTimeMillis() % 1_000_000, 36);
        private Thread follower;
        private CloseableIterator<ChaincodeEvent> eventStream;

        Story(NetworkDescription network) {
            this.network = network;
        }

        void run() throws Exception {
            try {
                for (NetworkDescription.Org org : network.orgs()) {
                    connections.add(FabricConnection.open(org, org.users().getFirst().identity()));
                }
                follow();
                steps();
            } finally {
                if (eventStream != null) {
                    eventStream.close();
                }
                if (follower != null) {
                    follower.join(5_000);
                }
                connections.forEach(FabricConnection::close);
            }
        }

        private void steps() throws Exception {
            int last = connections.size() - 1;
            String first = mspId(0);
            say("%s's user creates asset %s through %s's gateway", first, asset, first);
            Transaction create = contract(0).newProposal("CreateAsset")
                    .addArguments(asset, "red", "5", "Alice of " + first, "25000").build().endorse();
            report(create, create.submitAsync().getStatus());

            say("%s's user reads it through %s's own gateway", mspId(1), mspId(1));
            System.out.printf("     %s%n", text(contract(1).evaluateTransaction("ReadAsset", asset)));

            int seller = Math.min(2, last);
            say("%s's user sells it to Bob of %s", mspId(seller), mspId(last));
            Transaction transfer = contract(seller).newProposal("TransferAsset")
                    .addArguments(asset, "Bob of " + mspId(last)).build().endorse();
            report(transfer, transfer.submitAsync().getStatus());
            System.out.printf("     the previous owner, returned by the chaincode: %s%n", text(transfer.getResult()));

            say("%s's user tries to take it, endorsed by %s alone — the policy wants a majority of organisations",
                    mspId(last), mspId(last));
            Transaction alone = contract(last).newProposal("TransferAsset").addArguments(asset, "Mallory")
                    .setEndorsingOrganizations(mspId(last)).build().endorse();
            Status refused = alone.submitAsync().getStatus();
            report(alone, refused);
            expect(refused, TxValidationCode.ENDORSEMENT_POLICY_FAILURE);
            System.out.printf("     every node refused it at validation; the owner is still: %s%n",
                    owner(contract(0).evaluateTransaction("ReadAsset", asset)));

            say("%s and %s sell the same asset at the same moment — both endorsed on the same state", mspId(0),
                    mspId(1));
            Transaction one = contract(0).newProposal("TransferAsset").addArguments(asset, "Carol").build().endorse();
            Transaction two = contract(1).newProposal("TransferAsset").addArguments(asset, "Dave").build().endorse();
            SubmittedTransaction firstSubmitted = one.submitAsync();
            SubmittedTransaction secondSubmitted = two.submitAsync();
            Status oneStatus = firstSubmitted.getStatus();
            Status twoStatus = secondSubmitted.getStatus();
            report(one, oneStatus);
            report(two, twoStatus);
            long conflicts = List.of(oneStatus, twoStatus).stream()
                    .filter(s -> s.getCode() == TxValidationCode.MVCC_READ_CONFLICT).count();
            if (conflicts != 1 || !(oneStatus.isSuccessful() || twoStatus.isSuccessful())) {
                throw new CommandFailure(ExitCodes.FAILURE, "demo: expected one VALID and one MVCC_READ_CONFLICT, got "
                        + oneStatus.getCode() + " and " + twoStatus.getCode());
            }
            System.out.printf("     the one ordered second read a version that no longer exists; owner now: %s%n",
                    owner(contract(last).evaluateTransaction("ReadAsset", asset)));

            say("chaincode events %s's gateway streamed while this happened (VALID transactions only)", mspId(0));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            int shown = 0;
            while (shown < 3 && System.nanoTime() < deadline) {
                ChaincodeEvent event = events.poll(200, TimeUnit.MILLISECONDS);
                if (event != null) {
                    System.out.printf("     block %d  %-13s %s%n", event.getBlockNumber(), event.getEventName(),
                            text(event.getPayload()));
                    shown++;
                }
            }
            if (shown < 3) {
                throw new CommandFailure(ExitCodes.FAILURE, "demo: expected 3 chaincode events, saw " + shown);
            }
        }

        /** Follows the chaincode's events from the next block on, into {@link #events}. */
        private void follow() {
            Network channel = connections.getFirst().gateway.getNetwork(network.channel());
            eventStream = channel.newChaincodeEventsRequest(CHAINCODE).build().getEvents();
            follower = Thread.ofVirtual().name("demo-events").start(() -> {
                try {
                    while (eventStream.hasNext()) {
                        if (!events.offer(eventStream.next())) {
                            return;
                        }
                    }
                } catch (RuntimeException e) {
                    // The stream is closed when the story ends.
                }
            });
        }

        private Contract contract(int org) {
            return connections.get(org).gateway.getNetwork(network.channel()).getContract(CHAINCODE);
        }

        private String mspId(int org) {
            return network.orgs().get(org).mspId();
        }
    }

    private static void say(String format, Object... args) {
        System.out.printf("  -> " + format + "%n", args);
    }

    /** A transaction's ID, endorsing organisations, code and block. */
    private static void report(Transaction transaction, Status status) {
        System.out.printf("     tx %s…  endorsed by %s  ->  %s in block %d%n",
                transaction.getTransactionId().substring(0, 16), endorsers(transaction), status.getCode(),
                status.getBlockNumber());
    }

    private static void expect(Status status, TxValidationCode code) {
        if (status.getCode() != code) {
            throw new CommandFailure(ExitCodes.FAILURE, "demo: expected " + code + ", got " + status.getCode());
        }
    }

    /** The MSP IDs of the endorsements the gateway collected, read from the prepared transaction. */
    private static List<String> endorsers(Transaction transaction) {
        try {
            // The SDK's serialised form of a transaction: Fabric's gateway.PreparedTransaction.
            return BlockJson.endorserMspIds(org.hyperledger.fabric.protos.gateway.PreparedTransaction
                    .parseFrom(transaction.getBytes()).getEnvelope());
        } catch (InvalidProtocolBufferException | IndexOutOfBoundsException e) {
            return List.of("?");
        }
    }

    private static String owner(byte[] assetJson) {
        String json = text(assetJson);
        int at = json.indexOf("\"Owner\":\"");
        return at < 0 ? json : json.substring(at + 9, json.indexOf('"', at + 9));
    }

    private void whereNext(NetworkDescription network, Story story) throws Exception {
        NetworkDescription.Node node = network.nodes().getFirst();
        String metrics = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(node.metrics()))
                .timeout(Duration.ofSeconds(10)).GET().build(), HttpResponse.BodyHandlers.ofString()).body();
        System.out.printf("  metrics   %s%n", node.metrics());
        metrics.lines().filter(line -> line.startsWith("banyan_ledger_height") || line.startsWith("banyan_transactions_total"))
                .forEach(line -> System.out.printf("            %s%n", line));
        System.out.printf("  CLI       banyan query --dir %s --org %s --name %s ReadAsset %s%n", dir,
                network.orgs().getLast().mspId(), CHAINCODE, story.asset);
        System.out.printf("            banyan events --dir %s --name %s --start-block 0   (Ctrl-C to stop)%n", dir,
                CHAINCODE);
        System.out.printf("  REST      banyan apikey create --dir %s --org %s, then%n", dir, network.orgs().getFirst()
                .mspId());
        System.out.printf("            curl -H 'X-API-Key: KEY' %s/api/channels/%s/chaincodes/%s/evaluate -d"
                + " '{\"function\":\"ReadAsset\",\"args\":[\"%s\"]}'%n", network.orgs().getFirst().rest(),
                network.channel(), CHAINCODE, story.asset);
        System.out.printf("            OpenAPI: %s/api/openapi.json%n", network.orgs().getFirst().rest());
        System.out.printf("  your app  any fabric-gateway application: endpoints, TLS roots and identities are in %s%n",
                NetworkDescription.file(dir.toAbsolutePath()));
        System.out.printf("  status    banyan network status --dir %s%n", dir);
        System.out.printf("  stop      banyan network down --dir %s   (network up --dir %s resumes it)%n", dir, dir);
    }

    static void heading(String title) {
        System.out.printf("%n%s%n", title);
    }

    private static String text(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }

    /**
     * The sample's jar from this build: the CLI runs from {@code cli/target/banyan-cli.jar}, the sample is packaged
     * beside it in {@code samples/target/} (with its dependencies in {@code lib/}).
     */
    static Path sampleJar() throws Exception {
        Path cliJar = Path.of(DemoCommand.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        Path root = cliJar.getParent() == null ? null : cliJar.getParent().getParent();
        Path target = root == null ? null : root.getParent().resolve("samples").resolve("target");
        if (target != null && Files.isDirectory(target)) {
            try (DirectoryStream<Path> jars = Files.newDirectoryStream(target, "banyan-samples-*.jar")) {
                for (Path found : jars) {
                    if (!found.getFileName().toString().contains("-tests")) {
                        return found;
                    }
                }
            }
        }
        throw new CommandFailure(ExitCodes.FAILURE, "the sample chaincode's jar was not found under " + target
                + "; build it (./mvnw -B -DskipTests package) or pass --jar PATH");
    }
}
