package org.banyan.samples.finance.loan;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import org.banyan.samples.finance.Amounts;
import org.banyan.samples.finance.Caller;
import org.banyan.samples.finance.Ids;
import org.banyan.samples.finance.Json;
import org.banyan.samples.finance.Records;
import org.banyan.samples.finance.Refusal;
import org.hyperledger.fabric.contract.Context;
import org.hyperledger.fabric.contract.ContractInterface;
import org.hyperledger.fabric.contract.annotation.Contract;
import org.hyperledger.fabric.contract.annotation.Info;
import org.hyperledger.fabric.contract.annotation.Transaction;
import org.hyperledger.fabric.shim.ChaincodeException;
import org.hyperledger.fabric.shim.ChaincodeStub;
import org.hyperledger.fabric.shim.ext.sbe.StateBasedEndorsement;
import org.hyperledger.fabric.shim.ext.sbe.impl.StateBasedEndorsementFactory;
import org.hyperledger.fabric.shim.ledger.KeyValue;
import org.hyperledger.fabric.shim.ledger.QueryResultsIterator;

/**
 * Joint-loan clearing: two or more banks co-fund a loan with agreed shares, and the borrower's repayments are
 * split among them exactly. Amounts are exact integers in minor units; shares are basis points summing to 10,000.
 *
 * <p>Life of a loan: the lead bank's administrator {@code Propose}s it (the lead's own confirmation); each other
 * lender's administrator {@code Confirm}s; with the last confirmation it is ACTIVE. The servicing bank, which
 * collects from the borrower, records each repayment with {@code Repay}: in that one transaction the repayment is
 * split among the lenders, every lender's position and the outstanding balance move, and an entry is appended to
 * the loan's clearing trail. When nothing is outstanding the loan is REPAID.
 *
 * <p>Invariants: the lenders' funded amounts sum to the principal; the parts of each repayment sum to it; the
 * lenders' receipts sum to the principal less the outstanding; no lender receives more than it funded; at REPAID
 * every lender has received exactly what it funded.
 *
 * <p><b>Endorsement.</b> Every key of a loan (the loan, its trail entries, its entries in the lenders' indexes) is
 * written with a key-level endorsement policy that needs a peer of every lender ({@code AND}, Fabric's
 * state-based endorsement), so from the proposal on no change to the loan commits without every co-lender's peer.
 *
 * <p>Who may read: a loan and its trail, its lenders, its servicing bank and the regulator (named once by
 * {@code Initialize}); a bank's position, that bank and the regulator. Every change emits one chaincode event named
 * after the function.
 */
@Contract(name = JointLoan.NAME, info = @Info(title = "Joint-loan clearing", version = "1.0.0"))
public final class JointLoan implements ContractInterface {
    public static final String NAME = "loan";
    /** One denominator for every share: shares are in 1/10,000 of the principal and sum to exactly this. */
    public static final int BASIS_POINTS = 10_000;
    /** Lenders of one loan, at most: every one of them must endorse each change to it. */
    public static final int LENDERS_MAX = 16;
    /** Repayments of one loan, at most: the trail numbers them in five digits and {@code Trail} returns them all. */
    public static final int REPAYMENTS_MAX = 99_999;
    /** Loans one {@code Position} query reads, at most. */
    public static final int POSITION_LOANS_MAX = 10_000;
    static final String CONFIG_KEY = "loan-config";
    static final String LOAN_PREFIX = "loan:";
    private static final Records<Loan> LOANS = new Records<>(LOAN_PREFIX, "loan", Loan.class);
    static final String TRAIL_PREFIX = "loan-trail:";
    /** {@code loan-lender:<bank>:<loanId>} → the loan ID: the loans a bank lends in, for its position. */
    static final String LENDER_PREFIX = "loan-lender:";
    private static final int BORROWER_CHARS_MAX = 256;

    /** The event of a repayment: the loan after it, and its trail entry. */
    public record Recorded(Loan loan, Repayment repayment) {}

    /** Names the regulator, who may read every loan and position; once, by any organisation's administrator. */
    @Transaction(name = "Initialize", intent = Transaction.TYPE.SUBMIT)
    public String initialize(Context ctx, String regulatorMspId) {
        if (!Caller.of(ctx).admin()) {
            throw Refusal.of(Refusal.FORBIDDEN, "Initialize needs an organisation's administrator");
        }
        ChaincodeStub stub = ctx.getStub();
        if (!stub.getStringState(CONFIG_KEY).isEmpty()) {
            throw Refusal.of(Refusal.EXISTS, "joint loans are initialized already, with regulator "
                    + stub.getStringState(CONFIG_KEY));
        }
        Ids.require("the regulator's MSP ID", regulatorMspId);
        stub.putStringState(CONFIG_KEY, regulatorMspId);
        stub.setEvent("Initialize", regulatorMspId.getBytes(StandardCharsets.UTF_8));
        return regulatorMspId;
    }

    /**
     * The lead bank's administrator proposes a loan it lends in. {@code sharesJson} maps each lending bank's MSP ID
     * to its share in basis points, e.g. {@code {"BankAMSP": 6000, "BankBMSP": 4000}}: at least two banks, the
     * caller's among them, each share positive, summing to exactly 10,000. The principal is split by the shares
     * ({@link Apportionment}); every lender must fund at least one unit.
     */
    @Transaction(name = "Propose", intent = Transaction.TYPE.SUBMIT)
    public String propose(Context ctx, String loanId, String borrower, String servicingBankMspId, String principal,
                          String sharesJson) {
        ChaincodeStub stub = ctx.getStub();
        regulator(stub); // no loan before there is a regulator to read it
        Caller caller = Caller.of(ctx);
        caller.requireAdminOf(caller.mspId(), "proposing a loan");
        LOANS.requireAbsent(stub, loanId);
        if (borrower == null || borrower.isBlank() || borrower.length() > BORROWER_CHARS_MAX) {
            throw Refusal.of(Refusal.BAD_ARGUMENT, "the borrower must be 1 to " + BORROWER_CHARS_MAX + " characters");
        }
        Ids.require("the servicing bank's MSP ID", servicingBankMspId);
        long amount = Amounts.positive("the principal", principal);
        SortedMap<String, Integer> shares = shares(sharesJson);
        if (!shares.containsKey(caller.mspId())) {
            throw Refusal.of(Refusal.FORBIDDEN, "the lead bank proposes a loan it lends in; " + caller.mspId()
                    + " has no share among " + shares.keySet());
        }
        Loan loan = new Loan(loanId, borrower, servicingBankMspId, caller.mspId(), amount, amount, Loan.PROPOSED, 0,
                lenders(caller.mspId(), amount, shares));
        byte[] policy = everyLenderPolicy(loan);
        for (String bank : loan.banks()) {
            String indexKey = LENDER_PREFIX + bank + ":" + loanId;
            stub.putStringState(indexKey, loanId);
            stub.setStateValidationParameter(indexKey, policy);
        }
        String json = store(stub, "Propose", loan);
        stub.setStateValidationParameter(LOAN_PREFIX + loanId, policy);
        return json;
    }

    /** A co-lending bank's administrator agrees to the loan; the last confirmation makes it ACTIVE. */
    @Transaction(name = "Confirm", intent = Transaction.TYPE.SUBMIT)
    public String confirm(Context ctx, String loanId) {
        ChaincodeStub stub = ctx.getStub();
        Loan loan = LOANS.load(stub, loanId);
        Caller caller = Caller.of(ctx);
        Loan.Lender lender = loan.lender(caller.mspId()).orElseThrow(() -> Refusal.of(Refusal.FORBIDDEN,
                "loan " + loanId + " is confirmed by its lenders " + loan.banks() + ", not by " + caller.mspId()));
        caller.requireAdminOf(lender.bank(), "confirming loan " + loanId);
        requireState(loan, Loan.PROPOSED);
        if (lender.confirmed()) {
            throw Refusal.of(Refusal.CONFLICT, lender.bank() + " has confirmed loan " + loanId + " already");
        }
        return store(stub, "Confirm", loan.confirmedBy(lender.bank()));
    }

    /**
     * The servicing bank records a repayment the borrower made: it is split among the lenders ({@link Loan#split}),
     * each lender's received amount and the outstanding balance change, and a trail entry is appended, all in this
     * transaction. More than the outstanding is refused.
     */
    @Transaction(name = "Repay", intent = Transaction.TYPE.SUBMIT)
    public String repay(Context ctx, String loanId, String amount) {
        ChaincodeStub stub = ctx.getStub();
        Loan loan = LOANS.load(stub, loanId);
        Caller.of(ctx).requireOrganisation(loan.servicingBank(), "recording repayments of loan " + loanId);
        long value = Amounts.positive("the repayment", amount);
        requireState(loan, Loan.ACTIVE);
        if (value > loan.outstanding()) {
            throw Refusal.of(Refusal.CONFLICT, "a repayment of " + value + " is more than the " + loan.outstanding()
                    + " outstanding on loan " + loanId);
        }
        if (loan.repayments() == REPAYMENTS_MAX) {
            throw Refusal.of(Refusal.CONFLICT, "loan " + loanId + " has " + REPAYMENTS_MAX
                    + " repayments, the most one loan records");
        }
        long[] parts = loan.split(value);
        Loan after = loan.repaid(value, parts);
        SortedMap<String, Long> byBank = new TreeMap<>();
        for (int i = 0; i < parts.length; i++) {
            byBank.put(loan.lenders().get(i).bank(), parts[i]);
        }
        Repayment entry = new Repayment(loanId, after.repayments(), stub.getTxId(),
                stub.getTxTimestamp().toString(), value, after.outstanding(), byBank);
        String trailKey = trailKey(loanId, entry.sequence());
        stub.putState(trailKey, Json.bytes(entry));
        stub.setStateValidationParameter(trailKey, everyLenderPolicy(loan));
        stub.putStringState(LOAN_PREFIX + loanId, Json.text(after));
        String json = Json.text(new Recorded(after, entry));
        stub.setEvent("Repay", json.getBytes(StandardCharsets.UTF_8));
        return json;
    }

    /** The loan as JSON, for its lenders, its servicing bank and the regulator. */
    @Transaction(name = "Loan", intent = Transaction.TYPE.EVALUATE)
    public String loanJson(Context ctx, String loanId) {
        return Json.text(readable(ctx, loanId));
    }

    /** Every repayment of the loan and its split, oldest first, for whoever may read the loan. */
    @Transaction(name = "Trail", intent = Transaction.TYPE.EVALUATE)
    public String trail(Context ctx, String loanId) {
        readable(ctx, loanId);
        List<Repayment> entries = new ArrayList<>();
        for (KeyValue entry : range(ctx.getStub(), TRAIL_PREFIX + loanId + ":", REPAYMENTS_MAX,
                "the trail of loan " + loanId)) {
            entries.add(Json.decode(entry.getKey(), entry.getValue(), Repayment.class));
        }
        return Json.text(entries);
    }

    /** A bank's clearing position across its loans ({@link Position}), for that bank and the regulator. */
    @Transaction(name = "Position", intent = Transaction.TYPE.EVALUATE)
    public String position(Context ctx, String bankMspId) {
        ChaincodeStub stub = ctx.getStub();
        String regulator = regulator(stub);
        Ids.require("the bank's MSP ID", bankMspId);
        String caller = Caller.of(ctx).mspId();
        if (!caller.equals(bankMspId) && !caller.equals(regulator)) {
            throw Refusal.of(Refusal.FORBIDDEN, "the position of " + bankMspId + " is visible to " + bankMspId
                    + " and the regulator, not to " + caller);
        }
        List<Position.LoanPosition> loans = new ArrayList<>();
        long received = 0;
        long outstanding = 0;
        for (KeyValue indexed : range(stub, LENDER_PREFIX + bankMspId + ":", POSITION_LOANS_MAX,
                "the loans of " + bankMspId)) {
            Loan loan = LOANS.load(stub, indexed.getStringValue());
            Loan.Lender lender = loan.lender(bankMspId).orElseThrow(() -> new AssertionError(
                    indexed.getKey() + " indexes loan " + loan.id() + ", which " + bankMspId + " does not lend in"));
            loans.add(new Position.LoanPosition(loan.id(), loan.state(), lender.funded(), lender.received()));
            received = Amounts.add("the position of " + bankMspId, received, lender.received());
            if (loan.state().equals(Loan.ACTIVE)) {
                outstanding = Amounts.add("the position of " + bankMspId, outstanding,
                        lender.funded() - lender.received());
            }
        }
        return Json.text(new Position(bankMspId, received, outstanding, loans));
    }

    /** The shares argument, checked: 2 to {@link #LENDERS_MAX} banks, positive basis points summing to 10,000. */
    private static SortedMap<String, Integer> shares(String sharesJson) {
        JsonNode node = Json.argument("the shares", sharesJson);
        if (!node.isObject() || node.size() < 2 || node.size() > LENDERS_MAX) {
            throw Refusal.of(Refusal.BAD_ARGUMENT, "the shares are a JSON object of 2 to " + LENDERS_MAX
                    + " lending banks, {\"<MSP ID>\": <basis points>, ...}, not " + sharesJson);
        }
        SortedMap<String, Integer> shares = new TreeMap<>();
        long sum = 0;
        for (Map.Entry<String, JsonNode> field : node.properties()) {
            Ids.require("a lending bank's MSP ID", field.getKey());
            JsonNode share = field.getValue();
            if (!share.isIntegralNumber() || !share.canConvertToInt() || share.intValue() <= 0
                    || share.intValue() > BASIS_POINTS) {
                throw Refusal.of(Refusal.BAD_ARGUMENT, "the share of " + field.getKey()
                        + " must be a whole number of basis points from 1 to " + BASIS_POINTS + ", not " + share);
            }
            shares.put(field.getKey(), share.intValue());
            sum += share.intValue();
        }
        if (sum != BASIS_POINTS) {
            throw Refusal.of(Refusal.BAD_ARGUMENT, "the shares must sum to exactly " + BASIS_POINTS
                    + " basis points, not " + sum);
        }
        return shares;
    }

    /** The lenders, lead bank first, each funding its share of the principal; refused if one would fund 0. */
    private static List<Loan.Lender> lenders(String leadBank, long principal, SortedMap<String, Integer> shares) {
        List<String> banks = new ArrayList<>();
        banks.add(leadBank);
        shares.keySet().stream().filter(bank -> !bank.equals(leadBank)).forEach(banks::add);
        long[] funded = Apportionment.split(principal,
                banks.stream().map(bank -> BigInteger.valueOf(shares.get(bank))).toList());
        List<Loan.Lender> lenders = new ArrayList<>();
        for (int i = 0; i < banks.size(); i++) {
            if (funded[i] == 0) {
                throw Refusal.of(Refusal.BAD_ARGUMENT, "a principal of " + principal + " gives " + banks.get(i)
                        + " nothing to fund at " + shares.get(banks.get(i)) + " basis points");
            }
            lenders.add(new Loan.Lender(banks.get(i), shares.get(banks.get(i)), funded[i], 0,
                    banks.get(i).equals(leadBank)));
        }
        return lenders;
    }

    /** Fabric's state-based endorsement policy requiring a peer of every lender of {@code loan}. */
    private static byte[] everyLenderPolicy(Loan loan) {
        StateBasedEndorsement endorsement = StateBasedEndorsementFactory.getInstance().newStateBasedEndorsement(null);
        endorsement.addOrgs(StateBasedEndorsement.RoleType.RoleTypePeer, loan.banks().toArray(String[]::new));
        return endorsement.policy();
    }

    private static void requireState(Loan loan, String state) {
        if (!loan.state().equals(state)) {
            throw Refusal.of(Refusal.CONFLICT, "loan " + loan.id() + " is " + loan.state() + ", not " + state);
        }
    }

    private static Loan readable(Context ctx, String loanId) {
        ChaincodeStub stub = ctx.getStub();
        String regulator = regulator(stub);
        Loan loan = LOANS.load(stub, loanId);
        String caller = Caller.of(ctx).mspId();
        if (!loan.banks().contains(caller) && !caller.equals(loan.servicingBank()) && !caller.equals(regulator)) {
            throw Refusal.of(Refusal.FORBIDDEN, "loan " + loanId + " is visible to its lenders " + loan.banks()
                    + ", its servicing bank " + loan.servicingBank() + " and the regulator, not to " + caller);
        }
        return loan;
    }

    /**
     * The keys starting with {@code prefix} (which ends in {@code :}), in key order; refused past {@code max}. IDs
     * cannot contain {@code :} or {@code ;}, so {@code [prefix, prefix with ; for its :)} holds exactly them.
     */
    private static List<KeyValue> range(ChaincodeStub stub, String prefix, int max, String what) {
        String end = prefix.substring(0, prefix.length() - 1) + ";";
        List<KeyValue> found = new ArrayList<>();
        try (QueryResultsIterator<KeyValue> results = stub.getStateByRange(prefix, end)) {
            for (KeyValue result : results) {
                if (found.size() == max) {
                    throw Refusal.of(Refusal.CONFLICT, what + " has more than " + max + " entries");
                }
                found.add(result);
            }
        } catch (ChaincodeException e) {
            throw e;
        } catch (Exception e) {
            throw new ChaincodeException("cannot read " + what + ": " + e.getMessage());
        }
        return found;
    }

    private static String trailKey(String loanId, int sequence) {
        // Zero-padded to the width of REPAYMENTS_MAX, so key order is repayment order.
        return String.format("%s%s:%05d", TRAIL_PREFIX, loanId, sequence);
    }

    private static String regulator(ChaincodeStub stub) {
        String regulator = stub.getStringState(CONFIG_KEY);
        if (regulator.isEmpty()) {
            throw Refusal.of(Refusal.NOT_FOUND, "joint loans are not initialized: an administrator calls"
                    + " Initialize(regulatorMspId) first");
        }
        return regulator;
    }

    private static String store(ChaincodeStub stub, String event, Loan record) {
        return LOANS.save(stub, event, record.id(), record);
    }
}
