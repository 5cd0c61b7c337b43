package org.banyan.consensus;

import java.security.KeyPair;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.banyan.consensus.codec.CodecLimits;
import org.banyan.consensus.codec.MalformedMessageException;
import org.banyan.consensus.codec.WireCodec;
import org.banyan.crypto.sign.KeyPairs;
import org.banyan.crypto.sign.KeyType;
import org.banyan.crypto.sign.Signer;
import org.banyan.crypto.sign.SigningKey;
import org.banyan.crypto.sign.VerificationKey;

/**
 * A fault-free cluster of {@link Replica}s with ECDSA P-256 consenter keys on the default provider (as the node's
 * {@code MspVoteSigner} and {@code MspSignatureVerifier}), joined by an in-memory FIFO network that carries
 * {@link WireCodec} frames. {@link #record} runs it and keeps every input of one replica, so a benchmark can replay
 * the same steady-state traffic into a fresh replica with the same id and key. Deterministic apart from the
 * signature bytes (ECDSA signs with a random nonce). Not thread-safe.
 */
final class RecordedCluster {
    /** One input of the observed replica: a frame from a peer ({@code event} is its decoded form) or a submission. */
    record Input(Event event, byte[] frame) {
        boolean carries(Class<? extends Message> type) {
            return event instanceof Event.MessageReceived received && type.isInstance(received.message());
        }
    }

    private record Frame(ReplicaId from, ReplicaId to, byte[] bytes) {}

    /** Client batches at most, so a replica that never sees the wanted traffic fails loudly instead of spinning. */
    private static final int BATCHES_MAX = 100_000;

    private final ConsensusConfig config;
    private final WireCodec codec;
    private final Signer signer = Signer.withDefaults();
    private final List<SigningKey> signingKeys = new ArrayList<>();
    private final SignatureVerifier verifier;

    RecordedCluster(int replicaCount) {
        this.config = ConsensusConfig.defaults(replicaCount);
        this.codec = new WireCodec(CodecLimits.from(config));
        org.banyan.crypto.sign.SignatureVerifier keys = org.banyan.crypto.sign.SignatureVerifier.withDefaults();
        List<VerificationKey> verificationKeys = new ArrayList<>();
        for (int i = 0; i < replicaCount; i++) {
            KeyPair pair = KeyPairs.generate(KeyType.ECDSA_P256);
            signingKeys.add(signer.prepare(pair.getPrivate()));
            verificationKeys.add(keys.decode(pair.getPublic()));
        }
        this.verifier = (replica, message, signature) ->
                keys.verify(verificationKeys.get(replica.value()), message, signature);
    }

    WireCodec codec() {
        return codec;
    }

    /** Replica {@code id}, started at genesis; what it sends on start is dropped. */
    Replica start(ReplicaId id) {
        SigningKey key = signingKeys.get(id.value());
        Replica replica = new Replica(id, config, message -> signer.sign(key, message), verifier,
                PayloadValidator.acceptAll(), LeaderSchedule.roundRobin(config.replicaCount()));
        replica.step(new Event.Started(0, SafetyState.initial(), List.of(), CommittedTip.genesis(), List.of()));
        return replica;
    }

    /**
     * Runs the cluster until {@code observed} has received at least {@code wanted} messages of each given type:
     * batches of {@code payloadsPerBatch} payloads of {@code payloadBytes} random bytes are submitted to the
     * replicas in turn (a follower forwards them to the leader), and every frame is delivered before the next
     * batch. Timers never fire: nothing is lost, so none is needed.
     */
    List<Input> record(ReplicaId observed, int payloadsPerBatch, int payloadBytes, int wanted,
                       List<Class<? extends Message>> types) throws MalformedMessageException {
        List<Replica> replicas = new ArrayList<>();
        ArrayDeque<Frame> network = new ArrayDeque<>();
        for (int i = 0; i < config.replicaCount(); i++) {
            replicas.add(start(new ReplicaId(i)));
        }
        List<Input> inputs = new ArrayList<>();
        Random random = new Random(42);
        long nowMillis = 1;
        for (int batch = 0; !enough(inputs, wanted, types); batch++) {
            if (batch == BATCHES_MAX) {
                throw new IllegalStateException("replica " + observed + " did not receive " + wanted + " of " + types);
            }
            ReplicaId target = new ReplicaId(batch % replicas.size());
            Event submitted = new Event.PayloadsSubmitted(nowMillis++, payloads(batch, payloadsPerBatch, payloadBytes, random));
            if (target.equals(observed)) {
                inputs.add(new Input(submitted, null));
            }
            route(target, replicas.get(target.value()).step(submitted), network);
            while (!network.isEmpty()) {
                Frame frame = network.poll();
                Event received = new Event.MessageReceived(nowMillis++, frame.from(), codec.decode(frame.bytes()));
                if (frame.to().equals(observed)) {
                    inputs.add(new Input(received, frame.bytes()));
                }
                route(frame.to(), replicas.get(frame.to().value()).step(received), network);
            }
        }
        return List.copyOf(inputs);
    }

    private static boolean enough(List<Input> inputs, int wanted, List<Class<? extends Message>> types) {
        return types.stream().allMatch(type -> inputs.stream().filter(input -> input.carries(type)).count() >= wanted);
    }

    private static List<Payload> payloads(int batch, int count, int payloadBytes, Random random) {
        List<Payload> payloads = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            byte[] bytes = new byte[payloadBytes];
            random.nextBytes(bytes);
            payloads.add(new Payload("tx-" + batch + "-" + i, bytes));
        }
        return payloads;
    }

    private void route(ReplicaId from, Actions actions, ArrayDeque<Frame> network) {
        for (Actions.Send send : actions.sends()) {
            byte[] bytes = codec.encode(send.message());
            for (int to = 0; to < config.replicaCount(); to++) {
                if (send.isBroadcast() ? to != from.value() : to == send.to().value()) {
                    network.add(new Frame(from, new ReplicaId(to), bytes));
                }
            }
        }
    }
}
