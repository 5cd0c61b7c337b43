package org.banyan.samples.finance.currency;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.banyan.samples.finance.Amounts;
import org.banyan.samples.finance.Caller;
import org.banyan.samples.finance.Ids;
import org.banyan.samples.finance.Json;
import org.banyan.samples.finance.Refusal;
import org.hyperledger.fabric.contract.Context;
import org.hyperledger.fabric.contract.ContractInterface;
import org.hyperledger.fabric.contract.annotation.Contract;
import org.hyperledger.fabric.contract.annotation.Info;
import org.hyperledger.fabric.contract.annotation.Transaction;
import org.hyperledger.fabric.shim.ChaincodeException;
import org.hyperledger.fabric.shim.ChaincodeStub;
import org.hyperledger.fabric.shim.ledger.KeyModification;
import org.hyperledger.fabric.shim.ledger.QueryResultsIterator;

/**
 * A central bank digital currency, two-tier: the central bank mints into and burns from accounts; banks open
 * accounts for their customers and move money between any accounts; a regulator freezes and unfreezes accounts.
 * Amounts are exact integers in minor units.
 *
 * <p>Invariant: {@code TotalSupply} equals the sum of all balances — minting and burning change both by the same
 * amount in one transaction, transfers change neither. No balance is ever negative.
 *
 * <p>Who may do what (from the creator's certificate, {@link Caller}):
 * <ul>
 *   <li>{@code Initialize}: an administrator of the central bank it names, once;
 *   <li>{@code OpenAccount}: any member; the caller's organisation becomes the account's bank;
 *   <li>{@code Mint}, {@code Burn}: central bank administrators; burning only from the central bank's accounts;
 *   <li>{@code Transfer}: members of the paying account's bank;
 *   <li>{@code Freeze}, {@code Unfreeze}: regulator administrators;
 *   <li>{@code Account}, {@code Balance}, {@code History}: the account's bank, the central bank and the regulator;
 *       {@code TotalSupply}: anyone.
 * </ul>
 *
 * <p>Every change emits one chaincode event named after the function, with the changed account(s) as JSON.
 */
@Contract(name = DigitalCurrency.NAME, info = @Info(title = "Digital currency", version = "1.0.0"))
public final class DigitalCurrency implements ContractInterface {
    public static final String NAME = "currency";
    static final String CONFIG_KEY = "config";
    static final String SUPPLY_KEY = "supply";
    static final String ACCOUNT_PREFIX = "account:";

    /** Names the central bank and the regulator; only once, and only by the central bank's administrator. */
    @Transaction(name = "Initialize", intent = Transaction.TYPE.SUBMIT)
    public String initialize(Context ctx, String centralBankMspId, String regulatorMspId) {
        ChaincodeStub stub = ctx.getStub();
        Caller.of(ctx).requireAdminOf(centralBankMspId, "Initialize");
        if (hasValue(stub.getState(CONFIG_KEY))) {
            throw Refusal.of(Refusal.EXISTS, "the currency is initialized already: " + config(stub));
        }
        CurrencyConfig config = new CurrencyConfig(centralBankMspId, regulatorMspId);
        stub.putState(CONFIG_KEY, Json.bytes(config));
        stub.putStringState(SUPPLY_KEY, "0");
        String json = Json.text(config);
        stub.setEvent("Initialize", json.getBytes(StandardCharsets.UTF_8));
        return json;
    }

    /** Opens an empty account held by the caller's organisation. */
    @Transaction(name = "OpenAccount", intent = Transaction.TYPE.SUBMIT)
    public String openAccount(Context ctx, String accountId, String holder) {
        ChaincodeStub stub = ctx.getStub();
        config(stub);
        Ids.require("account id", accountId);
        if (holder == null || holder.isBlank() || holder.length() > 256) {
            throw Refusal.of(Refusal.BAD_ARGUMENT, "the holder must be 1 to 256 characters");
        }
        if (hasValue(stub.getState(ACCOUNT_PREFIX + accountId))) {
            throw Refusal.of(Refusal.EXISTS, "account " + accountId + " exists");
        }
        Account account = new Account(accountId, Caller.of(ctx).mspId(), holder, 0, false, "");
        return save(stub, "OpenAccount", account);
    }

    /** Issues new money into an account; the supply grows by the same amount. */
    @Transaction(name = "Mint", intent = Transaction.TYPE.SUBMIT)
    public String mint(Context ctx, String accountId, String amount) {
        ChaincodeStub stub = ctx.getStub();
        CurrencyConfig config = config(stub);
        Caller.of(ctx).requireAdminOf(config.centralBank(), "Mint");
        long value = Amounts.positive("the amount", amount);
        Account account = requireNotFrozen(account(stub, accountId));
        long supply = Amounts.add("the total supply", supply(stub), value);
        Account credited = account.withBalance(Amounts.add("the balance of " + accountId, account.balance(), value));
        putSupply(stub, supply);
        return save(stub, "Mint", credited);
    }

    /** Destroys money held in one of the central bank's accounts; the supply shrinks by the same amount. */
    @Transaction(name = "Burn", intent = Transaction.TYPE.SUBMIT)
    public String burn(Context ctx, String accountId, String amount) {
        ChaincodeStub stub = ctx.getStub();
        CurrencyConfig config = config(stub);
        Caller.of(ctx).requireAdminOf(config.centralBank(), "Burn");
        long value = Amounts.positive("the amount", amount);
        Account account = requireNotFrozen(account(stub, accountId));
        if (!account.bank().equals(config.centralBank())) {
            throw Refusal.of(Refusal.FORBIDDEN, "Burn takes money only from the central bank's own accounts; "
                    + accountId + " is held by " + account.bank());
        }
        Account debited = account.withBalance(debit(account, value));
        putSupply(stub, supply(stub) - value);
        return save(stub, "Burn", debited);
    }

    /**
     * Moves money between two accounts, for the paying account's bank. Other chaincode on the channel (the bill
     * contract's delivery-versus-payment) calls this in the same transaction.
     */
    @Transaction(name = "Transfer", intent = Transaction.TYPE.SUBMIT)
    public String transfer(Context ctx, String fromAccountId, String toAccountId, String amount) {
        ChaincodeStub stub = ctx.getStub();
        config(stub);
        long value = Amounts.positive("the amount", amount);
        if (fromAccountId.equals(toAccountId)) {
            throw Refusal.of(Refusal.BAD_ARGUMENT, "a transfer needs two different accounts");
        }
        Account from = requireNotFrozen(account(stub, fromAccountId));
        Caller.of(ctx).requireOrganisation(from.bank(), "moving money out of " + fromAccountId);
        Account to = requireNotFrozen(account(stub, toAccountId));
        Account debited = from.withBalance(debit(from, value));
        Account credited = to.withBalance(Amounts.add("the balance of " + toAccountId, to.balance(), value));
        stub.putState(ACCOUNT_PREFIX + fromAccountId, Json.bytes(debited));
        stub.putState(ACCOUNT_PREFIX + toAccountId, Json.bytes(credited));
        String json = Json.text(List.of(debited, credited));
        stub.setEvent("Transfer", json.getBytes(StandardCharsets.UTF_8));
        return json;
    }

    /** Stops all movement into and out of an account, for the regulator. */
    @Transaction(name = "Freeze", intent = Transaction.TYPE.SUBMIT)
    public String freeze(Context ctx, String accountId, String reason) {
        ChaincodeStub stub = ctx.getStub();
        Caller.of(ctx).requireAdminOf(config(stub).regulator(), "Freeze");
        if (reason == null || reason.isBlank()) {
            throw Refusal.of(Refusal.BAD_ARGUMENT, "a freeze needs a reason");
        }
        Account account = account(stub, accountId);
        if (account.frozen()) {
            throw Refusal.of(Refusal.CONFLICT, "account " + accountId + " is frozen already");
        }
        return save(stub, "Freeze", account.withFrozen(true, reason));
    }

    /** Lifts a freeze, for the regulator. */
    @Transaction(name = "Unfreeze", intent = Transaction.TYPE.SUBMIT)
    public String unfreeze(Context ctx, String accountId) {
        ChaincodeStub stub = ctx.getStub();
        Caller.of(ctx).requireAdminOf(config(stub).regulator(), "Unfreeze");
        Account account = account(stub, accountId);
        if (!account.frozen()) {
            throw Refusal.of(Refusal.CONFLICT, "account " + accountId + " is not frozen");
        }
        return save(stub, "Unfreeze", account.withFrozen(false, ""));
    }

    /** The account as JSON, for its bank, the central bank and the regulator. */
    @Transaction(name = "Account", intent = Transaction.TYPE.EVALUATE)
    public String accountJson(Context ctx, String accountId) {
        return Json.text(readable(ctx, accountId));
    }

    /** The account's balance in minor units. */
    @Transaction(name = "Balance", intent = Transaction.TYPE.EVALUATE)
    public long balance(Context ctx, String accountId) {
        return readable(ctx, accountId).balance();
    }

    /** Every committed state of the account, oldest first: {@code [{txId, timestamp, account}]}. */
    @Transaction(name = "History", intent = Transaction.TYPE.EVALUATE)
    public String history(Context ctx, String accountId) {
        readable(ctx, accountId);
        List<HistoryEntry> entries = new ArrayList<>();
        String key = ACCOUNT_PREFIX + accountId;
        try (QueryResultsIterator<KeyModification> history = ctx.getStub().getHistoryForKey(key)) {
            for (KeyModification modification : history) {
                entries.add(new HistoryEntry(modification.getTxId(), modification.getTimestamp().toString(),
                        Json.decode(key, modification.getValue(), Account.class)));
            }
        } catch (Exception e) {
            throw new ChaincodeException("cannot read the history of " + accountId
                    + ": " + e.getMessage());
        }
        // Fabric returns the newest first; a statement reads oldest first.
        return Json.text(entries.reversed());
    }

    /** All money in existence, in minor units. */
    @Transaction(name = "TotalSupply", intent = Transaction.TYPE.EVALUATE)
    public long totalSupply(Context ctx) {
        config(ctx.getStub());
        return supply(ctx.getStub());
    }

    /** One entry of {@link #history}. */
    public record HistoryEntry(String txId, String timestamp, Account account) {}

    private static Account readable(Context ctx, String accountId) {
        ChaincodeStub stub = ctx.getStub();
        CurrencyConfig config = config(stub);
        Account account = account(stub, accountId);
        String caller = Caller.of(ctx).mspId();
        if (!caller.equals(account.bank()) && !caller.equals(config.centralBank())
                && !caller.equals(config.regulator())) {
            throw Refusal.of(Refusal.FORBIDDEN, "account " + accountId + " is visible to " + account.bank()
                    + ", the central bank and the regulator, not to " + caller);
        }
        return account;
    }

    private static long debit(Account account, long value) {
        if (account.balance() < value) {
            throw Refusal.of(Refusal.INSUFFICIENT_FUNDS, "account " + account.id() + " holds " + account.balance()
                    + ", less than " + value);
        }
        return account.balance() - value;
    }

    private static Account requireNotFrozen(Account account) {
        if (account.frozen()) {
            throw Refusal.of(Refusal.CONFLICT, "account " + account.id() + " is frozen by the regulator: "
                    + account.frozenReason());
        }
        return account;
    }

    private static String save(ChaincodeStub stub, String event, Account account) {
        String json = Json.text(account);
        stub.putState(ACCOUNT_PREFIX + account.id(), json.getBytes(StandardCharsets.UTF_8));
        stub.setEvent(event, json.getBytes(StandardCharsets.UTF_8));
        return json;
    }

    static CurrencyConfig config(ChaincodeStub stub) {
        byte[] stored = stub.getState(CONFIG_KEY);
        if (!hasValue(stored)) {
            throw Refusal.of(Refusal.NOT_FOUND, "the currency is not initialized: the central bank calls"
                    + " Initialize(centralBankMspId, regulatorMspId) first");
        }
        return Json.decode(CONFIG_KEY, stored, CurrencyConfig.class);
    }

    static Account account(ChaincodeStub stub, String accountId) {
        Ids.require("account id", accountId);
        String key = ACCOUNT_PREFIX + accountId;
        byte[] stored = stub.getState(key);
        if (!hasValue(stored)) {
            throw Refusal.of(Refusal.NOT_FOUND, "account " + accountId + " does not exist");
        }
        return Json.decode(key, stored, Account.class);
    }

    private static long supply(ChaincodeStub stub) {
        return Long.parseLong(stub.getStringState(SUPPLY_KEY));
    }

    private static void putSupply(ChaincodeStub stub, long supply) {
        assert supply >= 0 : "negative supply " + supply;
        stub.putStringState(SUPPLY_KEY, Long.toString(supply));
    }


    private static boolean hasValue(byte[] stored) {
        return stored != null && stored.length > 0;
    }
}
