package org.banyan.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.banyan.node.local.SampleEnvelopes;
import org.hyperledger.fabric.client.Contract;
import org.hyperledger.fabric.client.SubmittedTransaction;
import org.hyperledger.fabric.client.Transaction;
import org.hyperledger.fabric.protos.peer.TxValidationCode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 7's races on a 4-organisation network of real node processes ({@code network up --org-names
 * CentralBank,BankA,BankB,Regulator}): the samples jar deployed as the chaincodes
 * {@code currency} and {@code bills}, and clients of the organisations, each through its own organisation's gateway,
 * racing to spend the same balance and to finance the same invoice (financiers at three banks). Every racer is endorsed first — each simulation sees
 * the money or the invoice still there — and all are then submitted at once: exactly one commits VALID, every other
 * one is {@code MVCC_READ_CONFLICT}, and the ledger shows the money spent once and the invoice financed once.
 */
class FinanceRacesTest {
    private static final int RACERS = 6;

    /** Kept when the test fails: the nodes' logs are under net/nodes/orgN/node.log. */
    @TempDir(cleanup = org.junit.jupiter.api.io.CleanupMode.ON_SUCCESS)
    Path temp;

    private final TestProcesses started = new TestProcesses();

    @AfterEach
    void killLeftovers() throws Exception {
        started.killLeftovers();
    }

    private static CliTest.Run ok(String... args) {
        CliTest.Run run = CliTest.run(TestProcesses.launchingWith(TestProcesses.testLauncher()), args);
        assertThat(run.exitCode()).as("banyan %s%n%s%s", String.join(" ", args), run.out(), run.err()).isZero();
        return run;
    }

    @Test
    void racersForOneBalanceOrOneInvoiceLeaveExactlyOneWinner() throws Exception {
        Path dir = temp.resolve("net");
        String d = dir.toString();
        try {
            ok("network", "up", "--dir", d, "--org-names", "CentralBank,BankA,BankB,Regulator", "--base-port",
                    Integer.toString(SampleEnvelopes.freeBasePort(4)), "--chaincode-log-level", "warning");
        } finally {
            started.record(dir);
        }
        try {
            String jar = NetworkApplicationTest.sampleJar().toString();
            ok("chaincode", "deploy", "--dir", d, "--name", "currency", "--jar", jar, "--mode", "inprocess");
            ok("chaincode", "deploy", "--dir", d, "--name", "bills", "--jar", jar, "--mode", "inprocess");
            NetworkDescription network = NetworkDescription.read(dir);
            List<FabricConnection> users = new ArrayList<>();
            try (FabricConnection centralBank = FabricConnection.open(network.orgs().get(0),
                    network.orgs().get(0).admin())) {
                for (NetworkDescription.Org org : network.orgs()) {
                    users.add(FabricConnection.open(org, org.users().getFirst().identity()));
                }
                Contract currencyAdmin = contract(centralBank, network, "currency", "currency");
                Contract invoiceAdmin = contract(centralBank, network, "bills", "invoice");
                assertThat(network.orgs()).extracting(NetworkDescription.Org::mspId)
                        .containsExactly("CentralBankMSP", "BankAMSP", "BankBMSP", "RegulatorMSP");
                currencyAdmin.submitTransaction("Initialize", "CentralBankMSP", "RegulatorMSP");
                invoiceAdmin.submitTransaction("Initialize", "currency");
                doubleSpend(network, users, currencyAdmin);
                doubleFinancing(network, users, currencyAdmin);
            } finally {
                users.forEach(FabricConnection::close);
            }
            // The README's finance demo, on this network (it finds it running and the contracts deployed).
            CliTest.Run demo = ok("demo", "finance", "--dir", d);
            assertThat(demo.out()).contains("this run's accounts hold exactly the 2,000,000.00",
                    "refused: invoice INV-", "it is financed once", "refused: account tom-", "frozen by the regulator");
            assertThat(demo.out().lines().filter(line -> line.contains("refused:")))
                    .as("only the two refusals the story tells").hasSize(2);
        } finally {
            started.record(dir);
            ok("network", "down", "--dir", d);
        }
    }

    /** Six transfers of one account's whole balance, each to another account, all endorsed before any commits. */
    private void doubleSpend(NetworkDescription network, List<FabricConnection> users, Contract admin)
            throws Exception {
        Contract org2 = contract(users.get(1), network, "currency", "currency");
        org2.submitTransaction("OpenAccount", "spender", "Spender");
        awaitAnswer(admin, "Balance", "spender", "0");
        admin.submitTransaction("Mint", "spender", "1000");
        List<Transaction> endorsed = new ArrayList<>();
        for (int i = 0; i < RACERS; i++) {
            org2.submitTransaction("OpenAccount", "payee" + i, "Payee " + i);
        }
        awaitAnswer(org2, "Balance", "spender", "1000");
        for (int i = 0; i < RACERS; i++) {
            // Only the paying bank moves its customer's money: every racer is its client.
            endorsed.add(org2.newProposal("Transfer").addArguments("spender", "payee" + i, "1000").build().endorse());
        }
        List<TxValidationCode> codes = submitAll(endorsed);
        assertThat(codes).filteredOn(code -> code == TxValidationCode.VALID).hasSize(1);
        assertThat(codes).filteredOn(code -> code == TxValidationCode.MVCC_READ_CONFLICT).hasSize(RACERS - 1);
        long paidOut = 0;
        for (int i = 0; i < RACERS; i++) {
            paidOut += Long.parseLong(new String(org2.evaluateTransaction("Balance", "payee" + i)));
        }
        assertThat(paidOut).as("money arrived once").isEqualTo(1000);
        assertThat(new String(org2.evaluateTransaction("Balance", "spender"))).isEqualTo("0");
        assertThat(new String(admin.evaluateTransaction("TotalSupply"))).isEqualTo("1000");
    }

    /** Six financiers at three banks race to buy one confirmed invoice. */
    private void doubleFinancing(NetworkDescription network, List<FabricConnection> users, Contract admin)
            throws Exception {
        Contract supplierBank = contract(users.get(0), network, "currency", "currency");
        Contract buyerBank = contract(users.get(1), network, "currency", "currency");
        supplierBank.submitTransaction("OpenAccount", "supplier", "Supplier");
        buyerBank.submitTransaction("OpenAccount", "buyer", "Buyer");
        for (int i = 0; i < RACERS; i++) {
            Contract bank = contract(users.get(1 + i % 3), network, "currency", "currency");
            bank.submitTransaction("OpenAccount", "financier" + i, "Financier " + i);
            awaitAnswer(admin, "Balance", "financier" + i, "0");
            admin.submitTransaction("Mint", "financier" + i, "900");
        }
        awaitAnswer(supplierBank, "Balance", "supplier", "0");
        awaitAnswer(buyerBank, "Balance", "buyer", "0");
        contract(users.get(0), network, "bills", "invoice").submitTransaction("Register", "INV-1", "supplier",
                "buyer", "1000", "2099-12-31", "c".repeat(64));
        awaitInvoice(contract(users.get(1), network, "bills", "invoice"), "REGISTERED");
        contract(users.get(1), network, "bills", "invoice").submitTransaction("Confirm", "INV-1");
        List<Transaction> endorsed = new ArrayList<>();
        for (int i = 0; i < RACERS; i++) {
            awaitAnswer(contract(users.get(1 + i % 3), network, "currency", "currency"), "Balance", "financier" + i,
                    "900");
            awaitInvoice(contract(users.get(1 + i % 3), network, "bills", "invoice"), "CONFIRMED");
        }
        for (int i = 0; i < RACERS; i++) {
            Contract financier = contract(users.get(1 + i % 3), network, "bills", "invoice");
            endorsed.add(financier.newProposal("Finance").addArguments("INV-1", "financier" + i, "900", "SOLD")
                    .build().endorse());
        }
        List<TxValidationCode> codes = submitAll(endorsed);
        assertThat(codes).filteredOn(code -> code == TxValidationCode.VALID).hasSize(1);
        assertThat(codes).filteredOn(code -> code == TxValidationCode.MVCC_READ_CONFLICT).hasSize(RACERS - 1);
        int winner = codes.indexOf(TxValidationCode.VALID);
        String invoice = new String(contract(users.get(0), network, "bills", "invoice")
                .evaluateTransaction("Invoice", "INV-1"));
        assertThat(invoice).contains("\"financier\":\"financier" + winner + "\"", "\"state\":\"SOLD\"");
        assertThat(new String(supplierBank.evaluateTransaction("Balance", "supplier"))).as("one advance")
                .isEqualTo("900");
        for (int i = 0; i < RACERS; i++) {
            Contract bank = contract(users.get(1 + i % 3), network, "currency", "currency");
            assertThat(new String(bank.evaluateTransaction("Balance", "financier" + i)))
                    .isEqualTo(i == winner ? "0" : "900");
        }
    }

    /**
     * Waits, bounded, until the node behind {@code contract}'s gateway answers {@code expected}. Fabric's submit
     * returns when the client's own gateway node has committed; another organisation's node may be a block behind,
     * and a Fabric client that goes on through that node waits for it the same way.
     */
    private static void awaitAnswer(Contract contract, String function, String argument, String expected)
            throws InterruptedException {
        await(contract, function, argument, expected::equals, expected);
    }

    private static void awaitInvoice(Contract invoices, String state) throws InterruptedException {
        await(invoices, "Invoice", "INV-1", answer -> answer.contains("\"state\":\"" + state + "\""), state);
    }

    private static void await(Contract contract, String function, String argument,
                              java.util.function.Predicate<String> wanted, String what) throws InterruptedException {
        String answer = "";
        for (long deadline = System.nanoTime() + 15_000_000_000L; System.nanoTime() < deadline; Thread.sleep(50)) {
            try {
                answer = new String(contract.evaluateTransaction(function, argument));
                if (wanted.test(answer)) {
                    return;
                }
            } catch (org.hyperledger.fabric.client.GatewayException e) {
                answer = e.getMessage();
            }
        }
        throw new AssertionError(function + "(" + argument + ") still answers '" + answer + "', not " + what);
    }

    /** Submits every endorsed transaction at once and returns each one's validation code, in order. */
    private static List<TxValidationCode> submitAll(List<Transaction> endorsed) throws Exception {
        try (ExecutorService submitters = Executors.newFixedThreadPool(endorsed.size())) {
            List<Future<SubmittedTransaction>> submitted = new ArrayList<>();
            for (Transaction transaction : endorsed) {
                submitted.add(submitters.submit(() -> transaction.submitAsync()));
            }
            List<TxValidationCode> codes = new ArrayList<>();
            for (Future<SubmittedTransaction> each : submitted) {
                codes.add(each.get().getStatus().getCode());
            }
            return codes;
        }
    }

    private static Contract contract(FabricConnection connection, NetworkDescription network, String chaincode,
                                     String contract) {
        return connection.gateway.getNetwork(network.channel()).getContract(chaincode, contract);
    }
}
