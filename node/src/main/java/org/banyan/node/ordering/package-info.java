/**
 * Proposal validity for the BFT ordering: {@link org.banyan.node.ordering.EnvelopeValidator} is the channel's
 * {@code org.banyan.consensus.PayloadValidator}. It checks each Fabric envelope once (size, structure, channel,
 * tx id, creator, {@code /Channel/Writers}, signature), caches the verdict by payload digest, and can check a
 * proposal's payloads in parallel before they reach the consensus event loop. See {@code docs/node.md},
 * "Proposal validity".
 */
package org.banyan.node.ordering;
