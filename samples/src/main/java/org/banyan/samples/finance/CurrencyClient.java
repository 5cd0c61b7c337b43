package org.banyan.samples.finance;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.util.List;
import org.hyperledger.fabric.contract.Context;
import org.hyperledger.fabric.shim.Chaincode;
import org.hyperledger.fabric.shim.ChaincodeStub;

/**
 * How the contracts that settle in money call the digital currency: another chaincode on the same channel, named
 * once per chaincode (key {@value #CONFIG_KEY}), called chaincode-to-chaincode inside the caller's transaction, so
 * that its read/write set commits or fails together with theirs.
 */
public final class CurrencyClient {
    static final String CONFIG_KEY = "currency-chaincode";

    /** The account fields the callers need. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Account(String id, String bank, boolean frozen) {}

    private CurrencyClient() {}

    /**
     * Names the currency chaincode, for an organisation's administrator. Naming the same one again is allowed (each
     * contract that pays has its own {@code Initialize}); naming another is refused.
     */
    public static String configure(Context ctx, String currencyChaincode, String action) {
        if (!Caller.of(ctx).admin()) {
            throw Refusal.of(Refusal.FORBIDDEN, action + " needs an organisation's administrator");
        }
        if (currencyChaincode == null || !currencyChaincode.matches("[A-Za-z0-9._-]{1,64}")) {
            throw Refusal.of(Refusal.BAD_ARGUMENT, "a chaincode name, not '" + currencyChaincode + "'");
        }
        ChaincodeStub stub = ctx.getStub();
        String current = stub.getStringState(CONFIG_KEY);
        if (!current.isEmpty() && !current.equals(currencyChaincode)) {
            throw Refusal.of(Refusal.EXISTS, "payments are initialized already, in " + current);
        }
        stub.putStringState(CONFIG_KEY, currencyChaincode);
        return currencyChaincode;
    }

    /**
     * The account, which the currency shows only to its bank (and the central bank and regulator); refuses unless
     * the caller belongs to the bank holding it, since that bank acts for the account.
     */
    public static Account actFor(Context ctx, String accountId, String action) {
        Ids.require("account id", accountId);
        Chaincode.Response answer = ctx.getStub().invokeChaincodeWithStringArgs(chaincode(ctx.getStub()),
                List.of("currency:Account", accountId));
        if (answer.getStatus() != Chaincode.Response.Status.SUCCESS) {
            throw Refusal.of(Refusal.FORBIDDEN, action + " account " + accountId + ": " + answer.getMessage());
        }
        Account account = Json.decode(accountId, answer.getPayload(), Account.class);
        Caller.of(ctx).requireOrganisation(account.bank(), action + " account " + accountId);
        return account;
    }

    /** Pays in this transaction; a payment the currency refuses refuses the whole transaction. */
    public static void pay(Context ctx, String from, String to, long amount, String what) {
        Chaincode.Response answer = ctx.getStub().invokeChaincodeWithStringArgs(chaincode(ctx.getStub()),
                List.of("currency:Transfer", from, to, Long.toString(amount)));
        if (answer.getStatus() != Chaincode.Response.Status.SUCCESS) {
            throw Refusal.of(Refusal.CONFLICT, "payment of " + what + " (" + amount + " from " + from + " to " + to
                    + ") refused: " + answer.getMessage());
        }
    }

    private static String chaincode(ChaincodeStub stub) {
        String name = stub.getStringState(CONFIG_KEY);
        if (name.isEmpty()) {
            throw Refusal.of(Refusal.NOT_FOUND, "payments are not initialized: Initialize(currencyChaincode) first");
        }
        return name;
    }
}
