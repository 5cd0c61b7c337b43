package org.banyan.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code banyan} command: entry point of the launcher script at the repository root. */
@Command(name = "banyan",
        mixinStandardHelpOptions = true,
        version = "banyan 0.1.0-SNAPSHOT",
        description = "Banyan: a permissioned BFT blockchain platform, Fabric-compatible at the edges.",
        subcommands = {
            DemoCommand.class,
            CryptoCommand.class,
            ChannelCommand.class,
            LedgerCommand.class,
            NodeCommand.class,
            ApiKeyCommand.class,
            NetworkCommand.class,
            ChaincodeCommand.class,
            TransactionCommands.Invoke.class,
            TransactionCommands.Query.class,
            TransactionCommands.BlockCommand.class,
            TransactionCommands.TxCommand.class,
            TransactionCommands.Events.class,
            CommandLine.HelpCommand.class,
        })
public final class Banyan implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    public static void main(String[] args) {
        System.exit(newCommandLine().execute(args));
    }

    /** The configured command line; tests drive it in-process. */
    public static CommandLine newCommandLine() {
        return newCommandLine(CommandLine.defaultFactory());
    }

    /** The configured command line with commands made by {@code factory} (tests inject collaborators). */
    static CommandLine newCommandLine(CommandLine.IFactory factory) {
        CommandLine commandLine = new CommandLine(new Banyan(), factory);
        commandLine.setExecutionExceptionHandler((exception, cmd, parseResult) -> {
            // Operator errors (bad paths, corrupt input) get a clear message, not a stack trace.
            if (exception instanceof CommandFailure failure) {
                cmd.getErr().println(failure.getMessage());
                return failure.exitCode();
            }
            cmd.getErr().println("banyan: " + exception.getMessage());
            return ExitCodes.FAILURE;
        });
        return commandLine;
    }
}
