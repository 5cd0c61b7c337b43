package org.banyan.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * Which network, organisation and identity a client command acts as: {@code --dir} (a directory {@code network up}
 * wrote), {@code --org} (default: the first organisation), {@code --user} or {@code --admin}.
 */
final class ClientOptions {
    @Option(names = "--dir", required = true, description = "The network directory (holds network.json).")
    Path dir;

    @Option(names = "--org", description = "The organisation whose gateway to use, e.g. Org1MSP (default: the first).")
    String org;

    @Option(names = "--user", description = "The organisation's user to act as (default: its first user).")
    String user;

    @Option(names = "--admin", description = "Act as the organisation's admin instead of a user.")
    boolean admin;

    /** The network description, or a failure saying the directory is not a network. */
    NetworkDescription network() {
        if (!NetworkDescription.exists(dir)) {
            throw new CommandFailure(ExitCodes.NOT_A_NETWORK, dir + " is not a Banyan network: it has no "
                    + NetworkDescription.FILE_NAME + ". Start one with: banyan network up --dir " + dir + " --orgs 4");
        }
        return NetworkDescription.read(dir);
    }

    /** The organisation chosen, or a failure naming the organisations there are. */
    NetworkDescription.Org organisation(NetworkDescription network) {
        if (org == null) {
            return network.orgs().getFirst();
        }
        try {
            return network.org(org);
        } catch (IllegalArgumentException e) {
            throw new CommandFailure(ExitCodes.USAGE, "unknown organisation '" + org + "': the network has "
                    + network.orgs().stream().map(NetworkDescription.Org::mspId).toList());
        }
    }

    /** The identity chosen in the organisation. */
    NetworkDescription.Identity identity(NetworkDescription.Org organisation) {
        if (admin) {
            return organisation.admin();
        }
        if (user == null) {
            return organisation.users().getFirst().identity();
        }
        try {
            return organisation.user(user).identity();
        } catch (IllegalArgumentException e) {
            throw new CommandFailure(ExitCodes.USAGE, e.getMessage());
        }
    }
}
