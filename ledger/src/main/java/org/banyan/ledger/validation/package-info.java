/**
 * Commit-time transaction validation, as Fabric's committer does it ({@code core/committer/txvalidator} and
 * {@code core/ledger/kvledger/txmgmt/validation}): {@link org.banyan.ledger.validation.BlockValidator} gives each
 * transaction of a block its {@code TxValidationCode} from the block, the channel's MSPs and policies, the
 * chaincode definitions and read access to the committed ledger. Pure and deterministic: no clock (the instant
 * is a parameter), no IO beyond the reads of the committed ledger, and the same codes whatever the thread
 * scheduling. See {@code docs/validation.md}.
 */
package org.banyan.ledger.validation;
