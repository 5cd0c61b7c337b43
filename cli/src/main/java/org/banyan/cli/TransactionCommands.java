package org.banyan.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.hyperledger.fabric.client.ChaincodeEvent;
import org.hyperledger.fabric.client.CloseableIterator;
import org.hyperledger.fabric.client.Contract;
import org.hyperledger.fabric.client.GatewayException;
import org.hyperledger.fabric.client.Network;
import org.hyperledger.fabric.client.SubmittedTransaction;
import org.hyperledger.fabric.protos.common.Block;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * The client commands: {@code invoke}, {@code query}, {@code block get}, {@code tx get} and {@code events}, each an
 * ordinary Fabric client call through an organisation's gateway ({@link FabricConnection}).
 */
final class TransactionCommands {
    private TransactionCommands() {}

    /** The chaincode and what to call. */
    static final class CallOptions {
        @Option(names = "--name", required = true, description = "The chaincode's name.")
        String name;

        @Parameters(index = "0", paramLabel = "FUNCTION", description = "The chaincode function.")
        String function;

        @Parameters(index = "1..*", paramLabel = "ARG", description = "Its arguments (strings).")
        List<String> args = new ArrayList<>();
    }

    @Command(name = "invoke", mixinStandardHelpOptions = true,
            description = "Submits a transaction (endorsed as the chaincode's policy requires, ordered, committed)"
                    + " and prints its result, transaction ID and validation code.")
    static final class Invoke implements Callable<Integer> {
        @Mixin
        ClientOptions client;
        @Mixin
        CallOptions call;

        @Override
        public Integer call() {
            NetworkDescription network = client.network();
            NetworkDescription.Org org = client.organisation(network);
            try (FabricConnection connection = FabricConnection.open(org, client.identity(org))) {
                Contract contract = connection.gateway.getNetwork(network.channel()).getContract(call.name);
                SubmittedTransaction submitted = contract.newProposal(call.function)
                        .addArguments(call.args.toArray(new String[0])).build().endorse().submitAsync();
                org.hyperledger.fabric.client.Status status = submitted.getStatus();
                printResult(submitted.getResult());
                System.out.printf("transaction %s committed %s in block %d%n", submitted.getTransactionId(),
                        status.getCode(), status.getBlockNumber());
                return status.isSuccessful() ? ExitCodes.OK : ExitCodes.FAILURE;
            } catch (GatewayException e) {
                throw LifecycleClient.failure("invoke " + call.name + " " + call.function, org, e);
            }
        }
    }

    @Command(name = "query", mixinStandardHelpOptions = true,
            description = "Evaluates a chaincode function on one node (nothing is ordered) and prints its result.")
    static final class Query implements Callable<Integer> {
        @Mixin
        ClientOptions client;
        @Mixin
        CallOptions call;

        @Override
        public Integer call() {
            NetworkDescription network = client.network();
            NetworkDescription.Org org = client.organisation(network);
            try (FabricConnection connection = FabricConnection.open(org, client.identity(org))) {
                printResult(connection.gateway.getNetwork(network.channel()).getContract(call.name)
                        .evaluateTransaction(call.function, call.args.toArray(new String[0])));
                return ExitCodes.OK;
            } catch (GatewayException e) {
                throw LifecycleClient.failure("query " + call.name + " " + call.function, org, e);
            }
        }
    }

    private static void printResult(byte[] result) {
        if (result.length > 0) {
            System.out.println(new String(result, StandardCharsets.UTF_8));
        }
    }

    @Command(name = "block", mixinStandardHelpOptions = true, description = "Reads blocks.",
            subcommands = BlockGet.class)
    static final class BlockCommand extends CommandGroup {
    }

    @Command(name = "get", mixinStandardHelpOptions = true,
            description = "Prints block NUMBER as JSON, read through the organisation's Deliver service.")
    static final class BlockGet implements Callable<Integer> {
        @Mixin
        ClientOptions client;
        @Parameters(index = "0", paramLabel = "NUMBER", description = "The block number.")
        long number;

        @Override
        public Integer call() throws JsonProcessingException {
            NetworkDescription network = client.network();
            NetworkDescription.Org org = client.organisation(network);
            long height = height(network, org);
            if (number < 0 || number >= height) {
                throw new CommandFailure(ExitCodes.FAILURE, "no block " + number + " on channel " + network.channel()
                        + ": its height is " + height + " (blocks 0.." + (height - 1) + ")");
            }
            System.out.println(BlockJson.MAPPER.writerWithDefaultPrettyPrinter()
                    .writeValueAsString(BlockJson.render(block(network, org, client, number))));
            return ExitCodes.OK;
        }
    }

    /** Block {@code number}, which exists: the first block of a Deliver stream from it. */
    static Block block(NetworkDescription network, NetworkDescription.Org org, ClientOptions client, long number) {
        try (FabricConnection connection = FabricConnection.open(org, client.identity(org));
                CloseableIterator<Block> blocks = connection.gateway.getNetwork(network.channel())
                        .newBlockEventsRequest().startBlock(number).build().getEvents()) {
            return blocks.next();
        } catch (RuntimeException e) {
            throw new CommandFailure(ExitCodes.FAILURE, "cannot read block " + number + " from " + org.mspId()
                    + "'s node: " + e.getMessage());
        }
    }

    @Command(name = "tx", mixinStandardHelpOptions = true, description = "Reads transactions.",
            subcommands = TxGet.class)
    static final class TxCommand extends CommandGroup {
    }

    @Command(name = "get", mixinStandardHelpOptions = true,
            description = "Prints where a transaction committed, its validation code and the transaction as JSON.")
    static final class TxGet implements Callable<Integer> {
        @Mixin
        ClientOptions client;
        @Parameters(index = "0", paramLabel = "TXID", description = "The transaction ID.")
        String txId;

        @Override
        public Integer call() throws JsonProcessingException {
            NetworkDescription network = client.network();
            NetworkDescription.Org org = client.organisation(network);
            NetworkDescription.Node node = nodeOf(network, org);
            var found = operations(node, "/tx/" + network.channel() + "/" + txId);
            if (found == null) {
                throw new CommandFailure(ExitCodes.FAILURE, "transaction " + txId + " is not committed on channel "
                        + network.channel() + " (as " + org.mspId() + "'s node sees it)");
            }
            long blockNumber = found.get("block").asLong();
            int index = found.get("index").asInt();
            System.out.printf("transaction %s: block %d, index %d, %s%n", txId, blockNumber, index,
                    found.get("code").asText());
            var rendered = BlockJson.render(block(network, org, client, blockNumber));
            System.out.println(BlockJson.MAPPER.writerWithDefaultPrettyPrinter()
                    .writeValueAsString(rendered.get("transactions").get(index)));
            return ExitCodes.OK;
        }
    }

    @Command(name = "events", mixinStandardHelpOptions = true,
            description = "Follows a chaincode's events (from VALID transactions) and prints one line each, until"
                    + " Ctrl-C or --max.")
    static final class Events implements Callable<Integer> {
        @Mixin
        ClientOptions client;
        @Option(names = "--name", required = true, description = "The chaincode's name.")
        String name;
        @Option(names = "--start-block", description = "The first block to read (default: the next to commit).")
        Long startBlock;
        @Option(names = "--max", description = "Stop after this many events.")
        Long max;

        @Override
        public Integer call() {
            NetworkDescription network = client.network();
            NetworkDescription.Org org = client.organisation(network);
            try (FabricConnection connection = FabricConnection.open(org, client.identity(org))) {
                Network channel = connection.gateway.getNetwork(network.channel());
                var request = channel.newChaincodeEventsRequest(name);
                if (startBlock != null) {
                    request.startBlock(startBlock);
                }
                long seen = 0;
                try (CloseableIterator<ChaincodeEvent> events = request.build().getEvents()) {
                    while ((max == null || seen < max) && events.hasNext()) {
                        ChaincodeEvent event = events.next();
                        System.out.printf("block %d  tx %s  %s  %s%n", event.getBlockNumber(),
                                event.getTransactionId(), event.getEventName(),
                                new String(event.getPayload(), StandardCharsets.UTF_8));
                        System.out.flush();
                        seen++;
                    }
                }
                return ExitCodes.OK;
            } catch (RuntimeException e) {
                throw new CommandFailure(ExitCodes.FAILURE, "events of " + name + " from " + org.mspId()
                        + "'s gateway: " + e.getMessage());
            }
        }
    }

    private static long height(NetworkDescription network, NetworkDescription.Org org) {
        var status = operations(nodeOf(network, org), "/status");
        if (status == null) {
            throw new CommandFailure(ExitCodes.NOT_READY, org.mspId() + "'s node does not answer its status");
        }
        return status.get("channels").get(network.channel()).get("height").asLong();
    }

    private static NetworkDescription.Node nodeOf(NetworkDescription network, NetworkDescription.Org org) {
        return network.nodes().stream().filter(n -> n.mspId().equals(org.mspId())).findFirst().orElseThrow(
                () -> new CommandFailure(ExitCodes.FAILURE, "no node of " + org.mspId() + " in network.json"));
    }

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    /** A JSON page of the node's operations endpoint, or null on 404. */
    private static com.fasterxml.jackson.databind.JsonNode operations(NetworkDescription.Node node, String path) {
        try {
            HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(node.operations() + path))
                    .timeout(Duration.ofSeconds(10)).GET().build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() == 404) {
                return null;
            }
            if (response.statusCode() != 200) {
                throw new CommandFailure(ExitCodes.NOT_READY, node.name() + " answered " + response.statusCode()
                        + " for " + path);
            }
            return BlockJson.MAPPER.readTree(response.body());
        } catch (java.io.IOException e) {
            throw new CommandFailure(ExitCodes.NOT_READY, node.name() + " is unreachable at " + node.operations()
                    + ": " + e.getMessage() + ". Is the network up? banyan network status --dir <dir>");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CommandFailure(ExitCodes.FAILURE, "interrupted");
        }
    }
}
