package org.banyan.samples.finance.points;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.banyan.samples.finance.Amounts;
import org.banyan.samples.finance.Caller;
import org.banyan.samples.finance.CurrencyClient;
import org.banyan.samples.finance.Ids;
import org.banyan.samples.finance.Json;
import org.banyan.samples.finance.Refusal;
import org.hyperledger.fabric.contract.Context;
import org.hyperledger.fabric.contract.ContractInterface;
import org.hyperledger.fabric.contract.annotation.Contract;
import org.hyperledger.fabric.contract.annotation.Info;
import org.hyperledger.fabric.contract.annotation.Transaction;
import org.hyperledger.fabric.shim.ChaincodeStub;

/**
 * Points programmes of several operators on one ledger, and exchanges between them.
 *
 * <p>An operator's administrator registers a programme with the currency account it settles through and the value
 * of one point; the operator awards and redeems its members' points. The operator of the programme receiving points
 * publishes the rate at which it takes another programme's points ({@code numerator/denominator} of its points per
 * point given, rounded down). A customer exchanges through the operator of the points given: the member's points
 * leave one programme and arrive in the other in the same transaction. Each exchange adds the given points' value
 * ({@code points × pointValue}) to what the giving operator owes the receiving one; the giving operator clears that
 * position by paying it in digital currency, again in one transaction.
 *
 * <p>Balances are visible to the programme's operator only; positions to the two operators concerned.
 */
@Contract(name = PointsExchange.NAME, info = @Info(title = "Points exchange", version = "1.0.0"))
public final class PointsExchange implements ContractInterface {
    public static final String NAME = "points";
    static final String PROGRAMME_PREFIX = "programme:";
    static final String BALANCE_PREFIX = "points:";
    static final String RATE_PREFIX = "rate:";
    static final String POSITION_PREFIX = "position:";

    /** Names the currency chaincode clearings pay through (shared with the other paying contracts). */
    @Transaction(name = "Initialize", intent = Transaction.TYPE.SUBMIT)
    public String initialize(Context ctx, String currencyChaincode) {
        return CurrencyClient.configure(ctx, currencyChaincode, "Initialize");
    }

    /** Registers a programme run by the caller's organisation, for its administrator. */
    @Transaction(name = "RegisterProgramme", intent = Transaction.TYPE.SUBMIT)
    public String registerProgramme(Context ctx, String programmeId, String name, String settlementAccount,
                                    String pointValue) {
        ChaincodeStub stub = ctx.getStub();
        Caller caller = Caller.of(ctx);
        caller.requireAdminOf(caller.mspId(), "registering a programme");
        Ids.require("programme id", programmeId);
        if (!stub.getStringState(PROGRAMME_PREFIX + programmeId).isEmpty()) {
            throw Refusal.of(Refusal.EXISTS, "programme " + programmeId + " exists");
        }
        if (name == null || name.isBlank()) {
            throw Refusal.of(Refusal.BAD_ARGUMENT, "a programme needs a name");
        }
        CurrencyClient.actFor(ctx, settlementAccount, "settling through");
        Programme programme = new Programme(programmeId, name, caller.mspId(), settlementAccount,
                Amounts.positive("the point value", pointValue));
        String json = Json.text(programme);
        stub.putStringState(PROGRAMME_PREFIX + programmeId, json);
        stub.setEvent("RegisterProgramme", json.getBytes(StandardCharsets.UTF_8));
        return json;
    }

    /** The operator credits a member's points (earned by spending, flying, staying). */
    @Transaction(name = "Award", intent = Transaction.TYPE.SUBMIT)
    public long award(Context ctx, String programmeId, String memberId, String points) {
        Programme programme = operated(ctx, programmeId, "awarding points of");
        long balance = Amounts.add("the balance", balance(ctx.getStub(), programme, memberId),
                Amounts.positive("the points", points));
        return putBalance(ctx.getStub(), "Award", programme, memberId, balance);
    }

    /** The operator debits points a member spends. */
    @Transaction(name = "Redeem", intent = Transaction.TYPE.SUBMIT)
    public long redeem(Context ctx, String programmeId, String memberId, String points) {
        Programme programme = operated(ctx, programmeId, "redeeming points of");
        long spent = Amounts.positive("the points", points);
        long balance = debit(ctx.getStub(), programme, memberId, spent);
        return putBalance(ctx.getStub(), "Redeem", programme, memberId, balance);
    }

    /** The receiving programme's operator publishes how many of its points it gives per point of {@code from}. */
    @Transaction(name = "PublishRate", intent = Transaction.TYPE.SUBMIT)
    public String publishRate(Context ctx, String fromProgramme, String toProgramme, String numerator,
                              String denominator) {
        ChaincodeStub stub = ctx.getStub();
        programme(stub, fromProgramme);
        operated(ctx, toProgramme, "publishing rates into");
        if (fromProgramme.equals(toProgramme)) {
            throw Refusal.of(Refusal.BAD_ARGUMENT, "a rate is between two programmes");
        }
        Rate rate = new Rate(Amounts.positive("the numerator", numerator),
                Amounts.positive("the denominator", denominator));
        String json = Json.text(rate);
        stub.putStringState(RATE_PREFIX + fromProgramme + ":" + toProgramme, json);
        stub.setEvent("PublishRate", json.getBytes(StandardCharsets.UTF_8));
        return json;
    }

    /** A rate: {@code numerator/denominator} receiving points per point given. */
    public record Rate(long numerator, long denominator) {}

    /**
     * Exchanges a member's points, for the operator of the programme they leave: {@code points} leave
     * {@code from}, {@code points × numerator / denominator} (rounded down, at least one) arrive in {@code to}, and
     * what {@code from}'s operator owes {@code to}'s grows by the points' value — all in this transaction.
     */
    @Transaction(name = "Exchange", intent = Transaction.TYPE.SUBMIT)
    public String exchange(Context ctx, String memberId, String fromProgramme, String toProgramme, String points) {
        ChaincodeStub stub = ctx.getStub();
        Programme from = operated(ctx, fromProgramme, "exchanging points out of");
        Programme to = programme(stub, toProgramme);
        String rateJson = stub.getStringState(RATE_PREFIX + fromProgramme + ":" + toProgramme);
        if (rateJson.isEmpty()) {
            throw Refusal.of(Refusal.NOT_FOUND, "no rate from " + fromProgramme + " to " + toProgramme
                    + " is published");
        }
        Rate rate = Json.decode(RATE_PREFIX, rateJson.getBytes(StandardCharsets.UTF_8), Rate.class);
        long given = Amounts.positive("the points", points);
        long received;
        long value;
        try {
            received = Math.multiplyExact(given, rate.numerator()) / rate.denominator();
            value = Math.multiplyExact(given, from.pointValue());
        } catch (ArithmeticException e) {
            throw Refusal.of(Refusal.BAD_ARGUMENT, given + " points are too many to exchange at once");
        }
        if (received == 0) {
            throw Refusal.of(Refusal.BAD_ARGUMENT, given + " points of " + fromProgramme + " buy no point of "
                    + toProgramme + " at " + rate.numerator() + "/" + rate.denominator());
        }
        long fromBalance = debit(stub, from, memberId, given);
        long toBalance = Amounts.add("the balance", balance(stub, to, memberId), received);
        long position = Amounts.add("the position", position(stub, fromProgramme, toProgramme), value);
        stub.putStringState(balanceKey(from, memberId), Long.toString(fromBalance));
        stub.putStringState(balanceKey(to, memberId), Long.toString(toBalance));
        stub.putStringState(positionKey(fromProgramme, toProgramme), Long.toString(position));
        String json = Json.text(Map.of("member", memberId, "from", fromProgramme, "to", toProgramme, "given", given,
                "received", received, "position", position));
        stub.setEvent("Exchange", json.getBytes(StandardCharsets.UTF_8));
        return json;
    }

    /**
     * The giving programme's operator pays what it owes the receiving one, from its settlement account to theirs in
     * digital currency, and the position returns to zero — in one transaction.
     */
    @Transaction(name = "Clear", intent = Transaction.TYPE.SUBMIT)
    public long clear(Context ctx, String fromProgramme, String toProgramme) {
        ChaincodeStub stub = ctx.getStub();
        Programme from = operated(ctx, fromProgramme, "clearing the position of");
        Programme to = programme(stub, toProgramme);
        long owed = position(stub, fromProgramme, toProgramme);
        if (owed == 0) {
            throw Refusal.of(Refusal.CONFLICT, "nothing is owed from " + fromProgramme + " to " + toProgramme);
        }
        CurrencyClient.pay(ctx, from.settlementAccount(), to.settlementAccount(), owed,
                "the position of " + fromProgramme + " with " + toProgramme);
        stub.putStringState(positionKey(fromProgramme, toProgramme), "0");
        stub.setEvent("Clear", Json.bytes(Map.of("from", fromProgramme, "to", toProgramme, "paid", owed)));
        return owed;
    }

    /** A member's points, for the programme's operator. */
    @Transaction(name = "Balance", intent = Transaction.TYPE.EVALUATE)
    public long balanceOf(Context ctx, String programmeId, String memberId) {
        return balance(ctx.getStub(), operated(ctx, programmeId, "reading the points of"), memberId);
    }

    /** What {@code from}'s operator owes {@code to}'s, in minor units, for either of the two operators. */
    @Transaction(name = "Position", intent = Transaction.TYPE.EVALUATE)
    public long positionOf(Context ctx, String fromProgramme, String toProgramme) {
        ChaincodeStub stub = ctx.getStub();
        String caller = Caller.of(ctx).mspId();
        if (!caller.equals(programme(stub, fromProgramme).operator())
                && !caller.equals(programme(stub, toProgramme).operator())) {
            throw Refusal.of(Refusal.FORBIDDEN, "the position of " + fromProgramme + " with " + toProgramme
                    + " is for their operators, not " + caller);
        }
        return position(stub, fromProgramme, toProgramme);
    }

    private static Programme operated(Context ctx, String programmeId, String action) {
        Programme programme = programme(ctx.getStub(), programmeId);
        Caller.of(ctx).requireOrganisation(programme.operator(), action + " programme " + programmeId);
        return programme;
    }

    private static Programme programme(ChaincodeStub stub, String programmeId) {
        Ids.require("programme id", programmeId);
        String json = stub.getStringState(PROGRAMME_PREFIX + programmeId);
        if (json.isEmpty()) {
            throw Refusal.of(Refusal.NOT_FOUND, "programme " + programmeId + " does not exist");
        }
        return Json.decode(PROGRAMME_PREFIX + programmeId, json.getBytes(StandardCharsets.UTF_8), Programme.class);
    }

    private static long debit(ChaincodeStub stub, Programme programme, String memberId, long points) {
        long balance = balance(stub, programme, memberId);
        if (balance < points) {
            throw Refusal.of(Refusal.INSUFFICIENT_FUNDS, "member " + memberId + " has " + balance + " points of "
                    + programme.id() + ", less than " + points);
        }
        return balance - points;
    }

    private static long balance(ChaincodeStub stub, Programme programme, String memberId) {
        String stored = stub.getStringState(balanceKey(programme, memberId));
        return stored.isEmpty() ? 0 : Long.parseLong(stored);
    }

    private static long putBalance(ChaincodeStub stub, String event, Programme programme, String memberId,
                                   long balance) {
        stub.putStringState(balanceKey(programme, memberId), Long.toString(balance));
        stub.setEvent(event, Json.bytes(Map.of("programme", programme.id(), "member", memberId, "balance", balance)));
        return balance;
    }

    private static String balanceKey(Programme programme, String memberId) {
        return BALANCE_PREFIX + programme.id() + ":" + Ids.require("member id", memberId);
    }

    private static long position(ChaincodeStub stub, String fromProgramme, String toProgramme) {
        String stored = stub.getStringState(positionKey(fromProgramme, toProgramme));
        return stored.isEmpty() ? 0 : Long.parseLong(stored);
    }

    private static String positionKey(String fromProgramme, String toProgramme) {
        return POSITION_PREFIX + fromProgramme + ":" + toProgramme;
    }
}
