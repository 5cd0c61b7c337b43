package org.banyan.node.rest;

/** Where a stream's server-sent events go. Used by one thread. */
interface EventSink {
    /**
     * False once the client has gone. Called at least once a second while a stream waits, which lets the sink send
     * its keep-alive comment when one is due — the write that also tells it the client has gone.
     */
    boolean open();

    /**
     * One event; {@code data} is written as one line of JSON; a null {@code id} leaves the client's last event ID as
     * it is. Nothing happens once the client has gone.
     */
    void send(String id, String event, Object data);
}
