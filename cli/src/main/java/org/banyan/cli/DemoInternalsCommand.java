package org.banyan.cli;

import com.google.protobuf.ByteString;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.banyan.crypto.SigningIdentity;
import org.banyan.crypto.gen.CryptoGenerator;
import org.banyan.crypto.msp.MspRegistry;
import org.banyan.crypto.sign.CryptoProviders;
import org.banyan.crypto.sign.KeyType;
import org.banyan.crypto.x509.LocalSigningIdentity;
import org.banyan.ledger.ChannelLedger;
import org.banyan.ledger.LedgerVerifier;
import org.banyan.ledger.VerificationResult;
import org.banyan.ledger.history.HistoryEntry;
import org.banyan.ledger.state.StatePage;
import org.banyan.protocol.BlockHashing;
import org.banyan.protocol.Blocks;
import org.banyan.protocol.CompositeKeys;
import org.banyan.protocol.config.ChannelConfig;
import org.banyan.protocol.config.ChannelConfigs;
import org.banyan.protocol.config.ChannelProfile;
import org.hyperledger.fabric.protos.common.Block;
import org.hyperledger.fabric.protos.common.Envelope;
import org.hyperledger.fabric.protos.peer.TxValidationCode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The platform's inner parts, one by one, in this process: generates identities for several organisations, builds
 * the channel's genesis block, commits blocks of signed endorser transactions (a digital currency: mint, then
 * transfers) to a crash-safe ledger, checks them the way a committer does, verifies the result, and runs BFT
 * ordering across four in-process nodes with one stopped and restarted.
 */
@Command(name = "internals", mixinStandardHelpOptions = true,
        description = "The inner parts one by one, in this process: identities, channel genesis, a ledger of signed"
                + " Fabric transactions and their validation codes, verification, BFT ordering with a node stopped.")
final class DemoInternalsCommand implements Callable<Integer> {
    private static final String MARKER = ".banyan-demo";
    /** Held so the level sticks: the nodes' INFO logs would interleave with the demo's own lines. */
    private static final java.util.logging.Logger NODE_LOGS = java.util.logging.Logger.getLogger("org.banyan");

    @Option(names = "--dir", defaultValue = "demo-output", description = "Working directory. Default: ${DEFAULT-VALUE}.")
    Path dir;

    @Option(names = "--orgs", defaultValue = "3", description = "Organisations. Default: ${DEFAULT-VALUE}.")
    int orgs;

    @Option(names = "--channel", defaultValue = "demo", description = "Channel name. Default: ${DEFAULT-VALUE}.")
    String channel;

    @Option(names = "--accounts", defaultValue = "1000", description = "Currency accounts. Default: ${DEFAULT-VALUE}.")
    int accounts;

    @Option(names = "--blocks", defaultValue = "20", description = "Transfer blocks after minting. Default: ${DEFAULT-VALUE}.")
    int transferBlocks;

    @Option(names = "--txs-per-block", defaultValue = "200", description = "Transactions per block. Default: ${DEFAULT-VALUE}.")
    int txsPerBlock;

    @Option(names = "--ordering-envelopes", defaultValue = "400",
            description = "Envelopes per phase of the BFT ordering step (4 nodes). Default: ${DEFAULT-VALUE}.")
    int orderingEnvelopes;

    @Option(names = "--key-type", defaultValue = "ecdsa-p256", description = "ecdsa-p256 or ed25519. Default: ${DEFAULT-VALUE}.")
    String keyType;

    @Override
    public Integer call() throws Exception {
        NODE_LOGS.setLevel(java.util.logging.Level.WARNING);
        prepare(dir);
        long started = System.nanoTime();
        Path cryptoDir = dir.resolve("crypto");
        KeyType type = CryptoCommand.parseKeyType(keyType);
        System.out.printf("Banyan demo: %d organisations, channel '%s', %s signatures (provider %s)%n%n", orgs, channel,
                keyType, CryptoProviders.defaultFor(type));

        CryptoGenerator.generate(cryptoDir, orgs, type, 1);
        List<NetworkCrypto.Org> orgList = NetworkCrypto.discover(cryptoDir);
        step(1, "identities", "root CA, TLS CA, peer, orderer, admin and user certificates per organisation in "
                + cryptoDir.toAbsolutePath() + " (check them with openssl verify)");

        ChannelProfile profile = NetworkCrypto.profile(orgList, channel, "127.0.0.1", 7050, ChannelProfile.BatchParameters.DEFAULTS);
        Block genesis = ChannelConfigs.genesisBlock(profile);
        ChannelConfig config = ChannelConfigs.fromBlock(genesis);
        step(2, "channel genesis", String.format("Fabric common.Config with %d organisations and %d BFT consenters, "
                        + "block hash %s", config.msps().size(), config.consenters().size(),
                HexFormat.of().formatHex(BlockHashing.headerHash(genesis.getHeader()))));

        Path ledgerDir = dir.resolve("ledger");
        MspRegistry msps = MspRegistry.of(config.msps().values());
        DemoValidator validator = new DemoValidator(msps, orgList.size(), Instant.now());
        SigningIdentity client = LocalSigningIdentity.load(orgList.get(0).userMspDir(1), orgList.get(0).mspId());
        List<SigningIdentity> endorsers = new ArrayList<>();
        for (NetworkCrypto.Org org : orgList.subList(0, orgList.size() / 2 + 1)) {
            endorsers.add(LocalSigningIdentity.load(org.peerMspDir(), org.mspId()));
        }
        DemoLedgerWorkload workload = new DemoLedgerWorkload(channel, accounts,
                orgList.stream().map(NetworkCrypto.Org::mspId).toList(), 42);
        Map<TxValidationCode, Integer> codes = new EnumMap<>(TxValidationCode.class);
        long committedTxs = 0;
        long commitNanos = 0;
        try (ChannelLedger ledger = ChannelLedger.create(ledgerDir, genesis)) {
            step(3, "ledger", "created " + ledgerDir.toAbsolutePath().resolve(channel)
                    + " (append-only segments with CRC32C, fsync per block, RocksDB index, state and history)");
            long seconds = Instant.now().getEpochSecond();
            for (int from = 0; from < accounts; from += txsPerBlock) {
                List<Envelope> mints = workload.mints(from, Math.min(accounts, from + txsPerBlock), client, endorsers, seconds);
                commitNanos += commit(ledger, validator, mints, codes);
                committedTxs += mints.size();
            }
            int transfersPerBlock = Math.min(txsPerBlock, accounts / 2 - 1);
            for (int b = 0; b < transferBlocks; b++) {
                List<DemoLedgerWorkload.Transfer> transfers =
                        workload.transfers(ledger, transfersPerBlock, client, endorsers, seconds);
                List<Envelope> envelopes = new ArrayList<>(transfers.stream().map(DemoLedgerWorkload.Transfer::envelope).toList());
                if (b % 5 == 1) {
                    // A double spend: a second transfer out of an account another transaction in this block spends.
                    DemoLedgerWorkload.Transfer first = transfers.get(0);
                    envelopes.add(workload.transfer(ledger, first.from(), first.to(), client, endorsers, seconds).envelope());
                }
                if (b % 5 == 3) {
                    // A forged transaction: its client signature does not match its content.
                    Envelope forged = envelopes.get(envelopes.size() - 1);
                    byte[] signature = forged.getSignature().toByteArray();
                    signature[signature.length / 2] ^= 0x01;
                    envelopes.set(envelopes.size() - 1, forged.toBuilder().setSignature(ByteString.copyFrom(signature)).build());
                }
                commitNanos += commit(ledger, validator, envelopes, codes);
                committedTxs += envelopes.size();
            }
            step(4, "commit", String.format("%d blocks, %d transactions %s; %.0f tx/s including validation "
                            + "and one fsync per block", ledger.height() - 1, committedTxs, codes,
                    committedTxs / (commitNanos / 1e9)));

            long supply = 0;
            for (int i = 0; i < accounts; i++) {
                supply += DemoLedgerWorkload.balance(ledger.state(DemoLedgerWorkload.NAMESPACE, DemoLedgerWorkload.account(i)));
            }
            long expectedSupply = accounts * DemoLedgerWorkload.MINT_AMOUNT;
            String[] owned = CompositeKeys.partialRange(DemoLedgerWorkload.OWNER_INDEX, List.of(orgList.get(1 % orgList.size()).mspId()));
            int ownedCount = 0;
            String bookmark = "";
            do {
                StatePage page = ledger.range(DemoLedgerWorkload.NAMESPACE, owned[0], owned[1], 100, bookmark);
                ownedCount += page.entries().size();
                bookmark = page.bookmark();
            } while (!bookmark.isEmpty());
            step(5, "state", String.format("total supply %d (minted %d: %s); %s owns %d accounts (composite-key range, "
                            + "pages of 100)", supply, expectedSupply, supply == expectedSupply ? "conserved" : "NOT CONSERVED",
                    orgList.get(1 % orgList.size()).mspId(), ownedCount));
            String account = DemoLedgerWorkload.account(7);
            List<HistoryEntry> history = ledger.history(DemoLedgerWorkload.NAMESPACE, account, 1_000);
            step(6, "history", account + " written by " + history.size() + " transactions at (block, tx) "
                    + history.stream().limit(8).map(h -> "(" + h.blockNumber() + "," + h.txNumber() + ")").toList()
                    + (history.size() > 8 ? " ..." : ""));

            Block sample = ledger.block(Math.min(ledger.height() - 1, 2 + accounts / txsPerBlock)).orElseThrow();
            Path json = dir.resolve("block-" + sample.getHeader().getNumber() + ".json");
            Files.writeString(json, BlockJson.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(BlockJson.render(sample)));
            step(7, "block as JSON", json.toAbsolutePath() + "  (or: ./banyan ledger show --ledger "
                    + ledgerDir + " --channel " + channel + " --block " + sample.getHeader().getNumber() + ")");
            if (supply != expectedSupply) {
                System.out.println("demo FAILED: the supply is not conserved");
                return ExitCodes.FAILURE;
            }
        }
        VerificationResult verified = LedgerVerifier.verifyBlocks(ledgerDir, channel);
        step(8, "ledger verify", verified.describe() + "  (./banyan ledger verify --ledger " + ledgerDir + ")");
        DemoOrdering.Outcome ordering = DemoOrdering.run(dir.resolve("network"), orderingEnvelopes);
        step(9, "BFT ordering", ordering.summary());
        System.out.printf("%ndemo finished in %.1f s%n", (System.nanoTime() - started) / 1e9);
        return verified.ok() && ordering.ok() ? ExitCodes.OK : ExitCodes.FAILURE;
    }

    private static long commit(ChannelLedger ledger, DemoValidator validator, List<Envelope> envelopes,
                               Map<TxValidationCode, Integer> codes) {
        long started = System.nanoTime();
        Block last = ledger.block(ledger.height() - 1).orElseThrow();
        List<TxValidationCode> blockCodes = validator.validate(envelopes, ledger);
        Block block = Blocks.next(last, envelopes.stream().map(Envelope::toByteString).toList());
        ledger.commit(Blocks.withValidationCodes(Blocks.withLastConfig(block, 0), blockCodes));
        blockCodes.forEach(code -> codes.merge(code, 1, Integer::sum));
        return System.nanoTime() - started;
    }

    private static void step(int number, String title, String detail) {
        System.out.printf("%d. %-16s %s%n", number, title, detail);
    }

    /** Starts from an empty directory; removes only a directory an earlier demo made (it holds the marker). */
    private static void prepare(Path dir) throws IOException {
        if (Files.exists(dir)) {
            boolean empty;
            try (Stream<Path> entries = Files.list(dir)) {
                empty = entries.findAny().isEmpty();
            }
            if (!empty && !Files.exists(dir.resolve(MARKER))) {
                throw new IllegalArgumentException(dir.toAbsolutePath() + " is not empty and was not made by the demo; "
                        + "choose another --dir");
            }
            try (Stream<Path> walk = Files.walk(dir)) {
                for (Path path : walk.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(path);
                }
            }
        }
        Files.createDirectories(dir);
        Files.writeString(dir.resolve(MARKER), "created by 'banyan demo internals'; the next run replaces this directory\n");
    }
}
