package org.banyan.node.chaincode.launch;

/**
 * An installed package the node does not run itself, and why (a source package, a type Banyan does not launch, a
 * {@code connection.json} it cannot dial). Its operator may still run the chaincode and have it register with the
 * package ID. An ordinary condition, never a bug.
 */
final class NotLaunchableException extends Exception {
    NotLaunchableException(String reason) {
        super(reason);
    }
}
