/**
 * The node's log format: text as the JDK writes it, or JSON lines ({@link org.banyan.node.logging.JsonLineFormatter})
 * for log collectors, chosen once per process with {@link org.banyan.node.logging.Logs#installFromEnvironment()}
 * ({@code BANYAN_LOG_FORMAT=json|text}). See {@code docs/node.md}, "Logs".
 */
package org.banyan.node.logging;
