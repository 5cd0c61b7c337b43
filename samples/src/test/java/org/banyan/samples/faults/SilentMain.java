package org.banyan.samples.faults;

/** A "chaincode" that starts and never registers: it sleeps until it is stopped. */
public final class SilentMain {
    private SilentMain() {}

    public static void main(String[] args) throws InterruptedException {
        System.out.println("up, and not registering");
        Thread.sleep(Long.MAX_VALUE);
    }
}
