package org.banyan.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.concurrent.Callable;
import org.banyan.protocol.BlockHashing;
import org.banyan.protocol.config.ChannelConfigs;
import org.banyan.protocol.config.ChannelProfile;
import org.hyperledger.fabric.protos.common.Block;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "channel", mixinStandardHelpOptions = true,
        description = "Channel configuration (Fabric's configtxgen).",
        subcommands = ChannelCommand.Genesis.class)
final class ChannelCommand extends CommandGroup {

    @Command(name = "genesis", mixinStandardHelpOptions = true,
            description = "Writes a channel's genesis block (Fabric common.Block holding a common.Config) for every "
                    + "organisation found in a crypto directory. The same inputs give the same block on every machine.")
    static final class Genesis implements Callable<Integer> {
        @Option(names = "--crypto", required = true, description = "Directory written by 'banyan crypto generate'.")
        Path cryptoDir;

        @Option(names = "--channel", defaultValue = "mychannel", description = "Channel name. Default: ${DEFAULT-VALUE}.")
        String channel;

        @Option(names = "--out", required = true, description = "File to write the genesis block to.")
        Path out;

        @Option(names = "--host", defaultValue = "127.0.0.1", description = "Consenter host. Default: ${DEFAULT-VALUE}.")
        String host;

        @Option(names = "--base-port", defaultValue = "7050",
                description = "Consenter port of the first organisation; the i-th gets base+i. Default: ${DEFAULT-VALUE}.")
        int basePort;

        @Option(names = "--max-message-count", defaultValue = "500", description = "Transactions per block at most. Default: ${DEFAULT-VALUE}.")
        int maxMessageCount;

        @Option(names = "--batch-timeout-ms", defaultValue = "2000", description = "Batch timeout. Default: ${DEFAULT-VALUE}.")
        long batchTimeoutMillis;

        @Override
        public Integer call() throws Exception {
            ChannelProfile.BatchParameters defaults = ChannelProfile.BatchParameters.DEFAULTS;
            ChannelProfile profile = NetworkCrypto.profile(NetworkCrypto.discover(cryptoDir), channel, host, basePort,
                    new ChannelProfile.BatchParameters(maxMessageCount, defaults.absoluteMaxBytes(),
                            defaults.preferredMaxBytes(), batchTimeoutMillis));
            Block genesis = ChannelConfigs.genesisBlock(profile);
            Path parent = out.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            Files.write(out, genesis.toByteArray());
            System.out.printf("channel %s: genesis block with %d organisation(s), hash %s, written to %s%n", channel,
                    profile.orgs().size(), HexFormat.of().formatHex(BlockHashing.headerHash(genesis.getHeader())),
                    out.toAbsolutePath());
            return ExitCodes.OK;
        }
    }
}
