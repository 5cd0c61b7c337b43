package org.banyan.node.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.banyan.node.chaincode.ChaincodeExecutionException;
import org.banyan.node.chaincode.ChaincodeExecutor;
import org.banyan.node.chaincode.ChaincodeResult;
import org.banyan.node.chaincode.TransactionContext;
import org.banyan.node.consensus.ChannelConsensus;
import org.banyan.node.endorser.Endorser;
import org.banyan.protocol.Blocks;
import org.hyperledger.fabric.protos.common.Block;
import org.hyperledger.fabric.protos.common.Status;
import org.hyperledger.fabric.protos.ledger.rwset.TxReadWriteSet;
import org.hyperledger.fabric.protos.peer.ChaincodeInput;
import org.hyperledger.fabric.protos.peer.Response;
import org.hyperledger.fabric.protos.peer.SignedProposal;
import org.hyperledger.fabric.protos.peer.TxValidationCode;
import org.junit.jupiter.api.Test;

class NodeMetricsTest {
    private static final String CHANNEL = "mychannel";
    private final NodeMetrics metrics = new NodeMetrics();

    @Test
    void gaugesFollowTheLedgerAndTheConsensusStatus() {
        AtomicLong height = new AtomicLong(1);
        AtomicReference<ChannelConsensus.Status> status = new AtomicReference<>(status(7, 3, true));
        metrics.watch(CHANNEL, height::get, status::get);

        Scrape before = scrape();
        height.set(5);
        status.set(status(9, 1, false));
        Scrape after = scrape();

        assertThat(before.value("banyan_ledger_height", "channel", CHANNEL)).isEqualTo(1);
        assertThat(after.value("banyan_ledger_height", "channel", CHANNEL)).isEqualTo(5);
        assertThat(before.value("banyan_consensus_round", "channel", CHANNEL)).isEqualTo(7);
        assertThat(after.value("banyan_consensus_round", "channel", CHANNEL)).isEqualTo(9);
        assertThat(after.value("banyan_consensus_leader", "channel", CHANNEL)).isEqualTo(1);
        assertThat(before.value("banyan_consensus_running", "channel", CHANNEL)).isEqualTo(1);
        assertThat(after.value("banyan_consensus_running", "channel", CHANNEL)).isZero();
    }

    @Test
    void aCommittedBlockCountsItsTransactionsByCodeAndItsCommitTime() {
        metrics.watch(CHANNEL, () -> 1, () -> status(0, 0, true));
        List<Block> passedOn = new ArrayList<>();
        var listener = metrics.commitListener(CHANNEL, passedOn::add);
        Block block = Blocks.withValidationCodes(Blocks.create(1, ByteString.EMPTY, Collections.nCopies(4,
                ByteString.copyFromUtf8("envelope"))), List.of(TxValidationCode.VALID, TxValidationCode.VALID,
                TxValidationCode.MVCC_READ_CONFLICT, TxValidationCode.ENDORSEMENT_POLICY_FAILURE));

        listener.committed(block, 3_000_000);
        listener.committed(Blocks.create(2, ByteString.EMPTY, List.of()), 1_000_000);

        Scrape scrape = scrape();
        assertThat(passedOn).hasSize(2);
        assertThat(scrape.value("banyan_transactions_total", "channel", CHANNEL, "code", "VALID")).isEqualTo(2);
        assertThat(scrape.value("banyan_transactions_total", "channel", CHANNEL, "code", "MVCC_READ_CONFLICT"))
                .isEqualTo(1);
        assertThat(scrape.value("banyan_transactions_total", "channel", CHANNEL, "code",
                "ENDORSEMENT_POLICY_FAILURE")).isEqualTo(1);
        assertThat(scrape.value("banyan_block_commit_duration_seconds_count", "channel", CHANNEL)).isEqualTo(2);
        assertThat(scrape.value("banyan_block_commit_duration_seconds_sum", "channel", CHANNEL))
                .isCloseTo(0.004, org.assertj.core.data.Offset.offset(1e-12));
        assertThat(scrape.value("banyan_block_commit_duration_seconds_bucket", "channel", CHANNEL, "le", "0.001"))
                .isEqualTo(1);
        assertThat(scrape.value("banyan_block_transactions_bucket", "channel", CHANNEL, "le", "0"))
                .as("the empty block").isEqualTo(1);
        assertThat(scrape.value("banyan_block_transactions_sum", "channel", CHANNEL)).isEqualTo(4);
    }

    @Test
    void chaincodeNamesBecomeLabelsOnlyOnceExecutedAndChannelsOnlyWhenHosted() {
        metrics.watch(CHANNEL, () -> 1, () -> status(0, 0, true));
        ChaincodeExecutor counted = metrics.countingCalls((name, id, input, context, simulator) -> switch (name) {
            case "failing" -> throw new ChaincodeExecutionException("timeout expired");
            case "erring" -> result(500);
            default -> result(200);
        });

        execute(counted, "basic");
        execute(counted, "basic");
        execute(counted, "erring");
        assertThatThrownBy(() -> execute(counted, "failing")).isInstanceOf(ChaincodeExecutionException.class);
        metrics.endorsed(new Endorser.Processed(CHANNEL, "basic", Endorser.Outcome.OK, 2_000_000));
        metrics.endorsed(new Endorser.Processed(CHANNEL, "made-up", Endorser.Outcome.ERROR, 1_000_000));
        metrics.endorsed(new Endorser.Processed("notmine", "basic", Endorser.Outcome.ERROR, 1_000_000));
        metrics.endorsed(new Endorser.Processed("", "", Endorser.Outcome.REFUSED, 1_000_000));
        metrics.endorsed(new Endorser.Processed(CHANNEL, "_lifecycle", Endorser.Outcome.OK, 1_000_000));

        Scrape scrape = scrape();
        assertThat(scrape.value("banyan_chaincode_calls_total", "channel", CHANNEL, "chaincode", "basic", "status",
                "ok")).isEqualTo(2);
        assertThat(scrape.value("banyan_chaincode_calls_total", "channel", CHANNEL, "chaincode", "erring", "status",
                "error")).isEqualTo(1);
        assertThat(scrape.value("banyan_chaincode_calls_total", "channel", CHANNEL, "chaincode", "failing",
                "status", "failed")).isEqualTo(1);
        String count = "banyan_endorsement_duration_seconds_count";
        assertThat(scrape.value(count, "channel", CHANNEL, "chaincode", "basic", "status", "ok")).isEqualTo(1);
        assertThat(scrape.value(count, "channel", CHANNEL, "chaincode", "other", "status", "error"))
                .as("a name never executed here").isEqualTo(1);
        assertThat(scrape.value(count, "channel", "other", "chaincode", "basic", "status", "error"))
                .as("a channel not hosted").isEqualTo(1);
        assertThat(scrape.value(count, "channel", "", "chaincode", "other", "status", "refused")).isEqualTo(1);
        assertThat(scrape.value(count, "channel", CHANNEL, "chaincode", "_lifecycle", "status", "ok")).isEqualTo(1);
    }

    @Test
    void clientNamesBeyondTheMaximumAreFoldedIntoOther() {
        metrics.watch(CHANNEL, () -> 1, () -> status(0, 0, true));
        ChaincodeExecutor counted = metrics.countingCalls((name, id, input, context, simulator) -> result(200));
        for (int i = 0; i < NodeMetrics.CHAINCODE_NAMES_MAX + 10; i++) {
            execute(counted, "cc" + i);
            metrics.broadcastAnswered("channel" + i, Status.NOT_FOUND);
        }

        Scrape scrape = scrape();
        // _lifecycle holds one of the names.
        assertThat(scrape.samples().stream().filter(s -> s.name().equals("banyan_chaincode_calls_total")))
                .hasSize(NodeMetrics.CHAINCODE_NAMES_MAX);
        assertThat(scrape.value("banyan_chaincode_calls_total", "channel", CHANNEL, "chaincode", "other", "status",
                "ok")).isEqualTo(11);
        assertThat(scrape.value("banyan_broadcast_envelopes_total", "channel", "other", "status", "NOT_FOUND"))
                .isEqualTo(NodeMetrics.CHAINCODE_NAMES_MAX + 10);
    }

    private Scrape scrape() {
        return Scrape.parse(metrics.registry().scrape());
    }

    private static void execute(ChaincodeExecutor executor, String name) {
        executor.execute(name, name + ":1", ChaincodeInput.getDefaultInstance(),
                TransactionContext.of(CHANNEL, "tx", SignedProposal.getDefaultInstance()), null);
    }

    private static ChaincodeResult result(int status) {
        return new ChaincodeResult(Response.newBuilder().setStatus(status).build(), Optional.empty(),
                TxReadWriteSet.getDefaultInstance());
    }

    private static ChannelConsensus.Status status(long round, int leader, boolean running) {
        return new ChannelConsensus.Status(CHANNEL, 1, round, leader, 0, running, 0, 0, 0, 0, 0, 0, 0, 0, null);
    }
}
