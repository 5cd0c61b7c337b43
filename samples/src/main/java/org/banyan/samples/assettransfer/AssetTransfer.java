package org.banyan.samples.assettransfer;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.hyperledger.fabric.contract.Context;
import org.hyperledger.fabric.contract.ContractInterface;
import org.hyperledger.fabric.contract.annotation.Contract;
import org.hyperledger.fabric.contract.annotation.Default;
import org.hyperledger.fabric.contract.annotation.Info;
import org.hyperledger.fabric.contract.annotation.Transaction;
import org.hyperledger.fabric.shim.ChaincodeException;
import org.hyperledger.fabric.shim.ChaincodeStub;
import org.hyperledger.fabric.shim.ext.sbe.StateBasedEndorsement;
import org.hyperledger.fabric.shim.ext.sbe.impl.StateBasedEndorsementFactory;
import org.hyperledger.fabric.shim.ledger.KeyModification;
import org.hyperledger.fabric.shim.ledger.KeyValue;
import org.hyperledger.fabric.shim.ledger.QueryResultsIterator;
import org.hyperledger.fabric.shim.ledger.QueryResultsIteratorWithMetadata;

/**
 * Fabric's asset-transfer-basic sample, written with the Fabric contract API: assets keyed by ID in the
 * chaincode's namespace, stored as {@link Asset} JSON. Transaction names are the sample's
 * ({@code CreateAsset}, {@code ReadAsset}, ...), so clients written for Fabric call it unchanged.
 *
 * <p>Refusals throw {@link ChaincodeException}, which the shim returns as a response with status 500 and the
 * message, e.g. {@code the asset asset1 does not exist}.
 */
@Contract(name = "basic", info = @Info(title = "Asset Transfer", version = "1.0.0",
        description = "Create, read, update, transfer, delete and list assets"))
@Default
public final class AssetTransfer implements ContractInterface {
    /** The largest page {@code GetAssetsWithPagination} accepts. */
    static final int PAGE_SIZE_MAX = 1_000;

    /** Stores a new asset; refuses an ID in use. Returns the asset's JSON; emits event {@code CreateAsset}. */
    @Transaction(name = "CreateAsset", intent = Transaction.TYPE.SUBMIT)
    public String createAsset(Context ctx, String id, String color, int size, String owner, int appraisedValue) {
        ChaincodeStub stub = ctx.getStub();
        if (exists(stub, id)) {
            throw new ChaincodeException("the asset " + id + " already exists", "ASSET_ALREADY_EXISTS");
        }
        Asset asset = new Asset(id, color, size, owner, appraisedValue);
        stub.putState(id, AssetJson.encodeBytes(asset));
        stub.setEvent("CreateAsset", AssetJson.encodeBytes(asset));
        return AssetJson.encode(asset);
    }

    /** The asset's JSON; refuses an unknown ID. */
    @Transaction(name = "ReadAsset", intent = Transaction.TYPE.EVALUATE)
    public String readAsset(Context ctx, String id) {
        return AssetJson.encode(read(ctx.getStub(), id));
    }

    /** Replaces an existing asset's fields; refuses an unknown ID. Returns the new JSON. */
    @Transaction(name = "UpdateAsset", intent = Transaction.TYPE.SUBMIT)
    public String updateAsset(Context ctx, String id, String color, int size, String owner, int appraisedValue) {
        ChaincodeStub stub = ctx.getStub();
        if (!exists(stub, id)) {
            throw notFound(id);
        }
        Asset asset = new Asset(id, color, size, owner, appraisedValue);
        stub.putState(id, AssetJson.encodeBytes(asset));
        return AssetJson.encode(asset);
    }

    /** Deletes an existing asset; refuses an unknown ID. */
    @Transaction(name = "DeleteAsset", intent = Transaction.TYPE.SUBMIT)
    public void deleteAsset(Context ctx, String id) {
        ChaincodeStub stub = ctx.getStub();
        if (!exists(stub, id)) {
            throw notFound(id);
        }
        stub.delState(id);
    }

    /** True when an asset with this ID exists. */
    @Transaction(name = "AssetExists", intent = Transaction.TYPE.EVALUATE)
    public boolean assetExists(Context ctx, String id) {
        return exists(ctx.getStub(), id);
    }

    /** Gives the asset a new owner and returns the old owner; refuses an unknown ID; emits {@code TransferAsset}. */
    @Transaction(name = "TransferAsset", intent = Transaction.TYPE.SUBMIT)
    public String transferAsset(Context ctx, String id, String newOwner) {
        ChaincodeStub stub = ctx.getStub();
        Asset asset = read(stub, id);
        Asset transferred = asset.withOwner(newOwner);
        stub.putState(id, AssetJson.encodeBytes(transferred));
        stub.setEvent("TransferAsset", AssetJson.encodeBytes(transferred));
        return asset.owner();
    }

    /**
     * Requires, from now on, the peers of each listed organisation to endorse any change to the asset (Fabric's
     * state-based endorsement, as in its asset-transfer-sbe sample): the asset's key gets its own endorsement
     * policy, which then replaces the chaincode's for that key. {@code mspIds} is comma-separated.
     */
    @Transaction(name = "SetAssetEndorsers", intent = Transaction.TYPE.SUBMIT)
    public void setAssetEndorsers(Context ctx, String id, String mspIds) {
        ChaincodeStub stub = ctx.getStub();
        if (!exists(stub, id)) {
            throw notFound(id);
        }
        StateBasedEndorsement endorsement = StateBasedEndorsementFactory.getInstance().newStateBasedEndorsement(null);
        endorsement.addOrgs(StateBasedEndorsement.RoleType.RoleTypePeer, mspIds.split(","));
        stub.setStateValidationParameter(id, endorsement.policy());
    }

    /** Every asset, in key order, as a JSON array. */
    @Transaction(name = "GetAllAssets", intent = Transaction.TYPE.EVALUATE)
    public String getAllAssets(Context ctx) {
        return getAssetsByRange(ctx, "", "");
    }

    /** Assets in {@code [startKey, endKey)}, as a JSON array. */
    @Transaction(name = "GetAssetsByRange", intent = Transaction.TYPE.EVALUATE)
    public String getAssetsByRange(Context ctx, String startKey, String endKey) {
        List<Asset> assets = new ArrayList<>();
        try (QueryResultsIterator<KeyValue> results = ctx.getStub().getStateByRange(startKey, endKey)) {
            for (KeyValue kv : results) {
                assets.add(AssetJson.decodeAsset(kv.getKey(), kv.getValue()));
            }
        } catch (Exception e) {
            throw rethrow(e);
        }
        return AssetJson.encode(assets);
    }

    /**
     * One page of assets: {@code {"assets":[...],"fetchedRecordsCount":n,"bookmark":"..."}}. Pass the bookmark
     * back (empty for the first page) to get the next page; an empty bookmark in the answer means the end.
     */
    @Transaction(name = "GetAssetsWithPagination", intent = Transaction.TYPE.EVALUATE)
    public String getAssetsWithPagination(Context ctx, int pageSize, String bookmark) {
        if (pageSize < 1 || pageSize > PAGE_SIZE_MAX) {
            throw new ChaincodeException("page size " + pageSize + " is outside [1, " + PAGE_SIZE_MAX + "]");
        }
        List<Asset> assets = new ArrayList<>();
        try (QueryResultsIteratorWithMetadata<KeyValue> results =
                     ctx.getStub().getStateByRangeWithPagination("", "", pageSize, bookmark)) {
            for (KeyValue kv : results) {
                assets.add(AssetJson.decodeAsset(kv.getKey(), kv.getValue()));
            }
            return AssetJson.encode(new AssetPage(assets, results.getMetadata().getFetchedRecordsCount(),
                    results.getMetadata().getBookmark()));
        } catch (Exception e) {
            throw rethrow(e);
        }
    }

    /** The asset's writes, as Fabric returns them (newest first), as a JSON array. */
    @Transaction(name = "GetAssetHistory", intent = Transaction.TYPE.EVALUATE)
    public String getAssetHistory(Context ctx, String id) {
        List<HistoryRecord> records = new ArrayList<>();
        try (QueryResultsIterator<KeyModification> results = ctx.getStub().getHistoryForKey(id)) {
            for (KeyModification modification : results) {
                Asset asset = modification.isDeleted() ? null : AssetJson.decodeAsset(id, modification.getValue());
                Instant at = modification.getTimestamp();
                records.add(new HistoryRecord(modification.getTxId(), at == null ? null : at.toString(),
                        modification.isDeleted(), asset));
            }
        } catch (Exception e) {
            throw rethrow(e);
        }
        return AssetJson.encode(records);
    }

    /** A page of {@code GetAssetsWithPagination}. */
    public record AssetPage(List<Asset> assets, int fetchedRecordsCount, String bookmark) {}

    /** One write of an asset in {@code GetAssetHistory}; {@code asset} is null for a delete. */
    public record HistoryRecord(String txId, String timestamp, boolean isDelete, Asset asset) {}

    private static boolean exists(ChaincodeStub stub, String id) {
        byte[] json = stub.getState(id);
        return json != null && json.length > 0;
    }

    private static Asset read(ChaincodeStub stub, String id) {
        byte[] json = stub.getState(id);
        if (json == null || json.length == 0) {
            throw notFound(id);
        }
        return AssetJson.decodeAsset(id, json);
    }

    private static ChaincodeException notFound(String id) {
        return new ChaincodeException("the asset " + id + " does not exist", "ASSET_NOT_FOUND");
    }

    /** Iterator close() declares Exception; keep chaincode errors as they are and wrap the rest. */
    private static RuntimeException rethrow(Exception e) {
        if (e instanceof RuntimeException runtime) {
            return runtime;
        }
        return new ChaincodeException("query failed: " + e.getMessage());
    }
}
