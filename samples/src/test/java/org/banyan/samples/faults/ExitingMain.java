package org.banyan.samples.faults;

/** A "chaincode" that crashes at once: prints a line and exits with status 3. */
public final class ExitingMain {
    private ExitingMain() {}

    public static void main(String[] args) {
        System.out.println("crashing on purpose");
        System.exit(3);
    }
}
