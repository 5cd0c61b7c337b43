/**
 * The benchmark's chaincode ({@code bench/run e2e}): contract {@code bench} with the workloads' functions — unique
 * keys created, token transfers between accounts, reads. Written with Fabric's contract API like any chaincode, so
 * the benchmark measures the path an application's transactions take.
 */
package org.banyan.samples.bench;
