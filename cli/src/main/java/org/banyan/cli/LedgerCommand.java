package org.banyan.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.banyan.consensus.Certificates;
import org.banyan.consensus.ConsensusConfig;
import org.banyan.consensus.codec.CodecLimits;
import org.banyan.consensus.codec.WireCodec;
import org.banyan.crypto.sign.SignatureVerifier;
import org.banyan.ledger.LedgerFiles;
import org.banyan.ledger.LedgerOptions;
import org.banyan.ledger.LedgerVerifier;
import org.banyan.ledger.Ledgers;
import org.banyan.ledger.VerificationResult;
import org.banyan.node.Node;
import org.banyan.node.config.NodeConfig;
import org.banyan.node.consensus.CertifiedChain;
import org.banyan.node.consensus.MspSignatureVerifier;
import org.banyan.protocol.MalformedTransactionException;
import org.banyan.protocol.config.ChannelConfig;
import org.banyan.protocol.config.ChannelConfigs;
import org.hyperledger.fabric.protos.common.Block;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "ledger", mixinStandardHelpOptions = true,
        description = "Integrity tools for a node's ledger directory.",
        subcommands = {LedgerCommand.Verify.class, LedgerCommand.Show.class})
final class LedgerCommand extends CommandGroup {

    @Command(name = "verify", mixinStandardHelpOptions = true,
            description = {"Recomputes record checksums, block numbering, the header hash chain and data hashes "
                    + "from the segment files, and checks the index against them. Read-only.",
                    "Exit 0 with a one-line summary per channel when intact; 1 naming the first bad block otherwise."})
    static final class Verify implements Callable<Integer> {
        @Option(names = "--ledger", required = true, description = "The node's ledger directory.")
        Path ledgerDir;

        @Option(names = "--channel", description = "Only this channel (default: every channel in the directory).")
        String channel;

        @Option(names = "--certificates", description = "Also check every block's BFT commit certificate against the "
                + "consenters of the channel's genesis configuration (quorum of valid signatures, consensus hash links).")
        boolean certificates;

        @Override
        public Integer call() {
            requireDirectory(ledgerDir);
            List<String> channels;
            if (channel != null) {
                channels = List.of(channel);
            } else {
                try (Ledgers ledgers = new Ledgers(ledgerDir, LedgerOptions.defaults())) {
                    channels = ledgers.channels();
                }
            }
            if (channels.isEmpty()) {
                System.err.println("banyan: no channel ledgers in " + ledgerDir);
                return ExitCodes.FAILURE;
            }
            boolean ok = true;
            for (String ch : channels) {
                VerificationResult result = LedgerVerifier.verifyBlocks(ledgerDir, ch);
                System.out.println(ch + ": " + result.describe());
                ok &= result.ok();
                if (certificates && result.ok()) {
                    CertifiedChain.Verdict verdict = verifyCertificates(ledgerDir, ch);
                    System.out.println(ch + ": " + verdict.describe());
                    ok &= verdict.ok();
                }
            }
            return ok ? ExitCodes.OK : ExitCodes.FAILURE;
        }
    }

    /** Reads the channel's blocks read-only and checks them against the genesis block's consenters. */
    private static CertifiedChain.Verdict verifyCertificates(Path ledgerDir, String channelId) {
        try (LedgerFiles.Reader reader = LedgerFiles.open(ledgerDir, channelId)) {
            ChannelConfig config;
            try {
                config = ChannelConfigs.fromBlock(reader.block(0).orElseThrow());
            } catch (MalformedTransactionException e) {
                return new CertifiedChain.Verdict(false, 0, "block 0 holds no channel configuration: " + e.getMessage());
            }
            ConsensusConfig consensus = Node.consensusConfig(config, NodeConfig.ConsensusSettings.DEFAULTS);
            Iterator<Block> blocks = new Iterator<>() {
                private long next = 1;
                private Optional<Block> ahead = reader.block(next);

                @Override
                public boolean hasNext() {
                    return ahead.isPresent();
                }

                @Override
                public Block next() {
                    Block block = ahead.orElseThrow();
                    ahead = reader.block(++next);
                    return block;
                }
            };
            return CertifiedChain.verify(blocks, new WireCodec(CodecLimits.from(consensus)), new Certificates(consensus,
                    MspSignatureVerifier.of(config.consenters(), SignatureVerifier.withDefaults())));
        }
    }

    @Command(name = "show", mixinStandardHelpOptions = true,
            description = "Prints one block as JSON: header and hashes, metadata, and each transaction's ID, type, "
                    + "creator, chaincode, validation code and writes.")
    static final class Show implements Callable<Integer> {
        @Option(names = "--ledger", required = true, description = "The node's ledger directory.")
        Path ledgerDir;

        @Option(names = "--channel", required = true, description = "Channel name.")
        String channel;

        @Option(names = "--block", required = true, description = "Block number.")
        long blockNumber;

        @Override
        public Integer call() throws Exception {
            requireDirectory(ledgerDir);
            // Read-only: a look at a block never repairs or replays the ledger, and works beside a running node.
            Block block = LedgerFiles.readBlock(ledgerDir, channel, blockNumber).orElseThrow(() ->
                    new IllegalArgumentException("channel " + channel + " has no block " + blockNumber));
            System.out.println(BlockJson.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(BlockJson.render(block)));
            return ExitCodes.OK;
        }
    }

    static void requireDirectory(Path dir) {
        if (!Files.isDirectory(dir)) {
            throw new IllegalArgumentException(dir + " is not a directory");
        }
    }
}
