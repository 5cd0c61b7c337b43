package org.banyan.samples.bench;

import java.nio.charset.StandardCharsets;
import org.hyperledger.fabric.contract.Context;
import org.hyperledger.fabric.contract.ContractInterface;
import org.hyperledger.fabric.contract.annotation.Contract;
import org.hyperledger.fabric.contract.annotation.Info;
import org.hyperledger.fabric.contract.annotation.Transaction;
import org.hyperledger.fabric.shim.ChaincodeException;
import org.hyperledger.fabric.shim.ChaincodeStub;

/**
 * The end-to-end benchmark's workloads as chaincode: {@code Create} writes a new key (one read, one write),
 * {@code Transfer} moves an amount between two accounts (two reads, two writes: two transfers touching one account
 * in the same block conflict, which the hot-key workload measures), {@code Seed} opens accounts in bulk,
 * {@code Read} returns a value. Balances are exact integers (minor units) stored as decimal text.
 */
@Contract(name = "bench", info = @Info(title = "Banyan benchmark", version = "1.0.0"))
public final class BenchContract implements ContractInterface {
    /** Accounts one {@code Seed} call opens at most (one transaction's write set). */
    static final int SEED_ACCOUNTS_MAX = 2_000;

    /** Writes {@code value} under a new {@code key}; refuses a key in use. */
    @Transaction(name = "Create", intent = Transaction.TYPE.SUBMIT)
    public void create(Context ctx, String key, String value) {
        ChaincodeStub stub = ctx.getStub();
        byte[] existing = stub.getState(key);
        if (existing != null && existing.length > 0) {
            throw new ChaincodeException("key " + key + " exists", "KEY_EXISTS");
        }
        stub.putState(key, value.getBytes(StandardCharsets.UTF_8));
    }

    /** Opens accounts {@code prefix}{@code from} .. {@code prefix}{@code from+count-1}, each with {@code balance}. */
    @Transaction(name = "Seed", intent = Transaction.TYPE.SUBMIT)
    public void seed(Context ctx, String prefix, int from, int count, long balance) {
        if (count < 1 || count > SEED_ACCOUNTS_MAX || from < 0 || balance < 0) {
            throw new ChaincodeException("Seed: count must be 1.." + SEED_ACCOUNTS_MAX
                    + ", from and balance not negative", "BAD_ARGUMENT");
        }
        byte[] amount = Long.toString(balance).getBytes(StandardCharsets.UTF_8);
        for (int i = from; i < from + count; i++) {
            ctx.getStub().putState(prefix + i, amount);
        }
    }

    /** Moves {@code amount} from one account to another; refuses unknown accounts and insufficient funds. */
    @Transaction(name = "Transfer", intent = Transaction.TYPE.SUBMIT)
    public void transfer(Context ctx, String from, String to, long amount) {
        if (amount <= 0 || from.equals(to)) {
            throw new ChaincodeException("Transfer: a positive amount between two accounts", "BAD_ARGUMENT");
        }
        ChaincodeStub stub = ctx.getStub();
        long fromBalance = balance(stub, from);
        long toBalance = balance(stub, to);
        if (fromBalance < amount) {
            throw new ChaincodeException("account " + from + " holds " + fromBalance + ", less than " + amount,
                    "INSUFFICIENT_FUNDS");
        }
        stub.putState(from, Long.toString(fromBalance - amount).getBytes(StandardCharsets.UTF_8));
        stub.putState(to, Long.toString(Math.addExact(toBalance, amount)).getBytes(StandardCharsets.UTF_8));
    }

    /** The value under {@code key}; refuses an unknown key. */
    @Transaction(name = "Read", intent = Transaction.TYPE.EVALUATE)
    public String read(Context ctx, String key) {
        byte[] value = ctx.getStub().getState(key);
        if (value == null || value.length == 0) {
            throw new ChaincodeException("no key " + key, "NOT_FOUND");
        }
        return new String(value, StandardCharsets.UTF_8);
    }

    private static long balance(ChaincodeStub stub, String account) {
        byte[] value = stub.getState(account);
        if (value == null || value.length == 0) {
            throw new ChaincodeException("no account " + account, "NOT_FOUND");
        }
        return Long.parseLong(new String(value, StandardCharsets.UTF_8));
    }
}
