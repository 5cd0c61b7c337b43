package org.banyan.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.hyperledger.fabric.client.Contract;
import org.hyperledger.fabric.client.GatewayException;
import org.hyperledger.fabric.client.Status;
import org.hyperledger.fabric.client.SubmittedTransaction;
import org.hyperledger.fabric.protos.peer.TxValidationCode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Issue 7's finance story on a network of named organisations — CentralBank, BankA, BankB, Regulator — with the
 * samples' finance contracts deployed as two chaincodes ({@code currency}, and {@code bills} for everything that pays
 * through it), told through Fabric's client SDK, each organisation through its own gateway. Every step prints what
 * happened and its transaction ID; the story ends with the balances, which add up to the money the central bank
 * issued.
 */
@Command(name = "finance", mixinStandardHelpOptions = true,
        description = {"Brings up CentralBank, BankA, BankB and Regulator in ./demo-finance (or uses the network"
                + " running there), deploys the finance contracts, and runs the story: currency issued, a bill"
                + " discounted with delivery versus payment, an invoice financed once, points exchanged for miles,"
                + " a joint loan repaid and cleared, an account frozen.",
            "The network keeps running; stop it with: banyan network down --dir demo-finance"})
final class DemoFinanceCommand implements Callable<Integer> {
    static final List<String> ORGS = List.of("CentralBank", "BankA", "BankB", "Regulator");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Option(names = "--dir", defaultValue = "demo-finance",
            description = "The network directory. Default: ${DEFAULT-VALUE}.")
    Path dir;

    @Option(names = "--base-port", defaultValue = "8050",
            description = "First port of a new network (it uses base..base+403). Default: ${DEFAULT-VALUE}.")
    int basePort;

    @Option(names = "--jar",
            description = "The samples jar (default: samples/target/banyan-samples-*.jar of this build).")
    Path jar;

    private final NodeLauncher launcher;
    private final List<FabricConnection> connections = new ArrayList<>();
    /** Per organisation name: its administrator's contracts and its user's. */
    private final Map<String, Parties> parties = new LinkedHashMap<>();
    /** A suffix so that the story can be told again on the same network. */
    private final String run = Long.toString(System.currentTimeMillis() % 1_000_000_000L, 36);
    private String channel;
    private List<NetworkDescription.Node> nodes = List.of();

    DemoFinanceCommand() {
        this(NodeLauncher.ofThisJvm());
    }

    DemoFinanceCommand(NodeLauncher launcher) {
        this.launcher = launcher;
    }

    /** One organisation's two identities, each through the organisation's own gateway. */
    private record Parties(FabricConnection admin, FabricConnection user) {}

    @Override
    public Integer call() throws Exception {
        long startNanos = System.nanoTime();
        System.out.printf("Banyan finance demo: %s on a BFT network in %s%n", String.join(", ", ORGS),
                dir.toAbsolutePath());
        DemoCommand.heading("1. The network and the contracts");
        bringUp();
        NetworkDescription network = NetworkDescription.read(dir);
        channel = network.channel();
        nodes = network.nodes();
        deploy(network, "currency");
        deploy(network, "bills");
        try {
            for (NetworkDescription.Org org : network.orgs()) {
                FabricConnection admin = FabricConnection.open(org, org.admin());
                FabricConnection user = FabricConnection.open(org, org.users().getFirst().identity());
                connections.add(admin);
                connections.add(user);
                parties.put(org.mspId().replace("MSP", ""), new Parties(admin, user));
            }
            initialize();
            currency();
            bill();
            invoice();
            points();
            loan();
            freeze();
            balances();
        } finally {
            connections.forEach(FabricConnection::close);
        }
        System.out.printf("%nfinance demo finished in %.1f s; the network keeps running:"
                + " banyan network down --dir %s%n", (System.nanoTime() - startNanos) / 1e9, dir);
        return ExitCodes.OK;
    }

    private void bringUp() throws InterruptedException {
        if (NetworkDescription.exists(dir)) {
            NetworkDescription network = NetworkDescription.read(dir);
            if (network.nodes().stream().map(NodeProcessState::of).allMatch(NodeProcessState::running)) {
                System.out.printf("using the network already running in %s%n", dir);
                return;
            }
        }
        boolean exists = NetworkDescription.exists(dir);
        new NetworkUp(launcher, System.out).run(new NetworkUp.Request(dir, null, null, exists ? null : basePort, 2,
                TimeUnit.SECONDS.toMillis(90), exists ? null : "warning", exists ? null : ORGS));
    }

    private void deploy(NetworkDescription network, String name) throws Exception {
        if (LifecycleClient.definition(network, network.orgs().getFirst(), name).isPresent()) {
            ChaincodeCommand.awaitRunning(network, name, Duration.ofSeconds(120));
            System.out.printf("%s is deployed already%n", name);
            return;
        }
        Path samples = jar != null ? jar : DemoCommand.sampleJar();
        System.out.printf("banyan chaincode deploy --dir %s --name %s --jar %s --mode inprocess%n", dir, name,
                samples.getFileName());
        int exit = Banyan.newCommandLine().execute("chaincode", "deploy", "--dir", dir.toString(), "--name", name,
                "--jar", samples.toString(), "--mode", "inprocess");
        if (exit != ExitCodes.OK) {
            throw new CommandFailure(exit, "demo finance: the deploy of " + name + " failed (above); the network is"
                    + " still running: banyan network status --dir " + dir);
        }
    }

    private void initialize() throws Exception {
        DemoCommand.heading("2. Who governs what");
        if (evaluate(admin("CentralBank"), "currency:TotalSupply") == null) {
            submit("CentralBank", admin("CentralBank"), "the central bank names itself and the regulator",
                    "currency:Initialize", "CentralBankMSP", "RegulatorMSP");
        } else {
            System.out.println("  (the currency was initialized before)");
        }
        if (evaluate(user("Regulator"), "loan:Position", "RegulatorMSP") == null) {
            submit("Regulator", admin("Regulator"), "the regulator is named for joint loans", "loan:Initialize",
                    "RegulatorMSP");
        } else {
            System.out.println("  (joint loans were initialized before)");
        }
        for (String contract : List.of("bill", "invoice", "points")) {
            submit("CentralBank", admin("CentralBank"), contract + " payments settle in the currency",
                    contract + ":Initialize", "currency");
        }
    }

    private void currency() throws Exception {
        DemoCommand.heading("3. The central bank issues digital currency; banks pass it to their customers");
        for (String bank : List.of("BankA", "BankB")) {
            submit(bank, admin(bank), bank + " opens its reserve account", "currency:OpenAccount",
                    id(bank + "-reserve"), bank + " reserve");
            submit("CentralBank", admin("CentralBank"), "the central bank mints 1,000,000.00 into it", "currency:Mint",
                    id(bank + "-reserve"), "100000000");
        }
        submit("BankA", user("BankA"), "BankA opens an account for Acme Manufacturing", "currency:OpenAccount",
                id("acme"), "Acme Manufacturing");
        submit("BankB", user("BankB"), "BankB opens accounts for Globex Trading and for Tom", "currency:OpenAccount",
                id("globex"), "Globex Trading");
        submit("BankB", user("BankB"), null, "currency:OpenAccount", id("tom"), "Tom Jones");
        submit("BankA", user("BankA"), "BankA pays 50,000.00 to Acme", "currency:Transfer", id("BankA-reserve"),
                id("acme"), "5000000");
        submit("BankB", user("BankB"), "BankB pays 80,000.00 to Globex and 1,000.00 to Tom", "currency:Transfer",
                id("BankB-reserve"), id("globex"), "8000000");
        submit("BankB", user("BankB"), null, "currency:Transfer", id("BankB-reserve"), id("tom"), "100000");
    }

    private void bill() throws Exception {
        DemoCommand.heading("4. A bill of exchange, discounted with delivery versus payment");
        String maturity = LocalDate.now(ZoneOffset.UTC).plusDays(90).toString();
        submit("BankA", user("BankA"), "Acme draws a 30,000.00 bill on BankB, due " + maturity, "bill:Issue",
                id("BILL"), id("acme"), "BankBMSP", "3000000", maturity);
        submit("BankB", admin("BankB"), "BankB accepts it, to pay from its reserve", "bill:Accept", id("BILL"),
                id("BankB-reserve"));
        submit("BankA", user("BankA"), "Acme offers it to BankA for discounting at 29,400.00", "bill:Offer", id("BILL"),
                id("BankA-reserve"), "2940000", "DISCOUNT");
        submit("BankA", admin("BankA"), "BankA settles: 29,400.00 to Acme and the bill to BankA, in one transaction",
                "bill:Settle", id("BILL"));
        JsonNode bill = evaluate(user("BankA"), "bill:Bill", id("BILL"));
        System.out.printf("     the bill's holder is now %s; its chain: %s%n", bill.get("holder").asText(),
                bill.get("chain"));
    }

    private void invoice() throws Exception {
        DemoCommand.heading("5. Invoice financing: once only");
        String due = LocalDate.now(ZoneOffset.UTC).plusDays(60).toString();
        submit("BankB", user("BankB"), "Globex invoices Acme 20,000.00, due " + due, "invoice:Register", id("INV"),
                id("globex"), id("acme"), "2000000", due, sha256(id("INV")));
        submit("BankA", user("BankA"), "Acme's bank confirms Acme owes it", "invoice:Confirm", id("INV"));
        submit("BankB", admin("BankB"), "BankB buys the invoice, paying Globex 19,000.00 at once", "invoice:Finance",
                id("INV"), id("BankB-reserve"), "1900000", "SOLD");
        submit("BankA", admin("BankA"), "BankA tries to buy the same invoice", "invoice:Finance", id("INV"),
                id("BankA-reserve"), "1950000", "SOLD");
    }

    private void points() throws Exception {
        DemoCommand.heading("6. Bank points for airline miles");
        submit("BankA", admin("BankA"), "BankA runs BankA Rewards, settled through its reserve at 0.01 per point",
                "points:RegisterProgramme", id("REWARDS"), "BankA Rewards", id("BankA-reserve"), "1");
        submit("BankB", admin("BankB"), "BankB runs SkyMiles for its airline partner, at 0.02 per mile",
                "points:RegisterProgramme", id("MILES"), "SkyMiles", id("BankB-reserve"), "2");
        submit("BankA", user("BankA"), "BankA awards customer c-001 40,000 points", "points:Award", id("REWARDS"),
                "c-001", "40000");
        submit("BankB", user("BankB"), "SkyMiles takes BankA Rewards at 1 mile per 4 points", "points:PublishRate",
                id("REWARDS"), id("MILES"), "1", "4");
        submit("BankA", user("BankA"), "c-001 exchanges 20,000 points: both balances move in one transaction",
                "points:Exchange", "c-001", id("REWARDS"), id("MILES"), "20000");
        System.out.printf("     c-001 holds %s points and %s miles%n",
                evaluate(user("BankA"), "points:Balance", id("REWARDS"), "c-001"),
                evaluate(user("BankB"), "points:Balance", id("MILES"), "c-001"));
        submit("BankA", user("BankA"), "BankA clears what it owes SkyMiles in currency", "points:Clear", id("REWARDS"),
                id("MILES"));
    }

    private void loan() throws Exception {
        DemoCommand.heading("7. A joint loan: BankA 60 %, BankB 40 %");
        submit("BankA", admin("BankA"), "BankA proposes a 1,000,000.00 loan to Initech, serviced by BankA",
                "loan:Propose", id("LOAN"), "Initech", "BankAMSP", "100000000",
                "{\"BankAMSP\":6000,\"BankBMSP\":4000}");
        submit("BankB", admin("BankB"), "BankB confirms its share", "loan:Confirm", id("LOAN"));
        submit("BankA", user("BankA"), "Initech repays 250,000.00: split 150,000.00 / 100,000.00 in the same"
                + " transaction", "loan:Repay", id("LOAN"), "25000000");
        JsonNode trail = evaluate(user("BankB"), "loan:Trail", id("LOAN"));
        System.out.printf("     the clearing trail, as BankB reads it: %s%n", trail);
        System.out.printf("     the regulator sees BankB's position: %s%n",
                evaluate(user("Regulator"), "loan:Position", "BankBMSP"));
    }

    private void freeze() throws Exception {
        DemoCommand.heading("8. The regulator freezes an account");
        submit("Regulator", admin("Regulator"), "the regulator freezes Tom's account", "currency:Freeze", id("tom"),
                "suspicious activity report 4711");
        submit("BankB", user("BankB"), "Tom's bank tries to pay 500.00 out of it", "currency:Transfer", id("tom"),
                id("globex"), "50000");
    }

    private void balances() throws Exception {
        DemoCommand.heading("9. The books");
        long sum = 0;
        for (String account : List.of("BankA-reserve", "BankB-reserve", "acme", "globex", "tom")) {
            long balance = evaluate(user("CentralBank"), "currency:Balance", id(account)).asLong();
            sum += balance;
            System.out.printf("  %-22s %,16.2f%n", id(account), balance / 100.0);
        }
        long supply = evaluate(user("CentralBank"), "currency:TotalSupply").asLong();
        System.out.printf("  %-22s %,16.2f%n  %-22s %,16.2f   (all money in existence, over every run of this"
                + " demo)%n", "sum of these accounts", sum / 100.0, "total supply", supply / 100.0);
        if (sum != 200_000_000L) {
            throw new CommandFailure(ExitCodes.FAILURE, "demo finance: this run's accounts hold " + sum
                    + " minor units, not the 200000000 the central bank issued");
        }
        System.out.println("  this run's accounts hold exactly the 2,000,000.00 the central bank issued in it");
    }

    /** Submits one step and prints its outcome and transaction ID; a refusal is printed, not thrown. */
    private void submit(String org, FabricConnection connection, String story, String function, String... args)
            throws Exception {
        Contract contract = contract(connection, function);
        if (story != null) {
            System.out.printf("  -> %s: %s%n", org, story);
        }
        try {
            SubmittedTransaction submitted = contract.newProposal(function).addArguments(args).build().endorse()
                    .submitAsync();
            Status status = submitted.getStatus();
            System.out.printf("     %s  tx %s…  block %d%n", status.getCode(), status.getTransactionId()
                    .substring(0, 16), status.getBlockNumber());
            if (status.getCode() != TxValidationCode.VALID) {
                throw new CommandFailure(ExitCodes.FAILURE, "demo finance: " + function + " committed "
                        + status.getCode());
            }
            awaitEveryNode(status.getBlockNumber());
        } catch (GatewayException e) {
            String reason = e.getDetails().stream().map(d -> d.getMessage()).findFirst().orElse(e.getMessage());
            System.out.printf("     refused: %s%n", reason.replaceFirst("^.*?chaincode response 500, ", ""));
        }
    }

    /**
     * Waits until every node has committed {@code block}. Submit returns once the client's own gateway node has; the
     * next step may go through another organisation's gateway, whose node simulates on what it has committed.
     */
    private void awaitEveryNode(long block) throws Exception {
        for (NetworkDescription.Node node : nodes) {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (height(node) <= block) {
                if (System.nanoTime() > deadline) {
                    throw new CommandFailure(ExitCodes.FAILURE, "demo finance: " + node.name() + " has not"
                            + " committed block " + block + " after 30 s; see " + node.logs());
                }
                Thread.sleep(20);
            }
        }
    }

    private static long height(NetworkDescription.Node node) throws Exception {
        HttpResponse<String> metrics = HTTP.send(HttpRequest.newBuilder(URI.create(node.metrics())).build(),
                HttpResponse.BodyHandlers.ofString());
        return metrics.body().lines().filter(line -> line.startsWith("banyan_ledger_height"))
                .mapToLong(line -> (long) Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
                .findFirst().orElse(0);
    }

    /** Evaluates a query; null when the chaincode refuses it. */
    private JsonNode evaluate(FabricConnection connection, String function, String... args) throws Exception {
        try {
            return JSON.readTree(new String(contract(connection, function).evaluateTransaction(function, args),
                    StandardCharsets.UTF_8));
        } catch (GatewayException e) {
            return null;
        }
    }

    private FabricConnection admin(String org) {
        return parties.get(org).admin();
    }

    private FabricConnection user(String org) {
        return parties.get(org).user();
    }

    /** The currency's functions are on chaincode {@code currency}; every other contract is on {@code bills}. */
    private Contract contract(FabricConnection connection, String function) {
        return connection.gateway.getNetwork(channel).getContract(function.startsWith("currency:") ? "currency"
                : "bills");
    }

    private String id(String name) {
        return name + "-" + run;
    }

    private static String sha256(String text) throws Exception {
        return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                .digest(text.getBytes(StandardCharsets.UTF_8)));
    }
}
