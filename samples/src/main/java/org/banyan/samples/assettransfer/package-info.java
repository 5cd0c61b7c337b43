/**
 * Fabric's asset-transfer-basic sample as Java chaincode on Fabric's contract API; runs against a Banyan node
 * or a Fabric peer unchanged. See {@code docs/chaincode.md}.
 */
package org.banyan.samples.assettransfer;
