package org.banyan.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.banyan.consensus.codec.CorruptStateException;
import org.banyan.node.Node;
import org.banyan.node.config.NodeConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "node", mixinStandardHelpOptions = true, description = "Runs a Banyan node.",
        subcommands = NodeCommand.Start.class)
final class NodeCommand extends CommandGroup {

    @Command(name = "start", mixinStandardHelpOptions = true,
            description = "Starts one node in the foreground from a YAML configuration (docs/node.md) and runs until "
                    + "it is stopped (SIGTERM or Ctrl-C close it cleanly). Prints one 'ready' line when it serves.")
    static final class Start implements Callable<Integer> {
        @Option(names = "--config", required = true, description = "The node's YAML configuration file.")
        Path configFile;

        @Override
        public Integer call() throws InterruptedException {
            NodeConfig config;
            Node node;
            try {
                org.banyan.node.logging.Logs.installFromEnvironment();
                config = NodeConfig.load(configFile);
                node = Node.start(config);
            } catch (IllegalArgumentException | CorruptStateException e) {
                System.err.println("node start: " + e.getMessage());
                return ExitCodes.FAILURE;
            }
            CountDownLatch stopped = new CountDownLatch(1);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                node.close();
                stopped.countDown();
            }, "banyan-shutdown"));
            System.out.printf("ready: node %s, consenter port %d, gateway port %d, ops port %d, REST port %d%n",
                    config.name(), node.consenterPort(), node.broadcastPort(), node.opsPort(), node.restPort());
            System.out.flush();
            stopped.await();
            return ExitCodes.OK;
        }
    }
}
