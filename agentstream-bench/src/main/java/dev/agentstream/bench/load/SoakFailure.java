package dev.agentstream.bench.load;

/** A soak scenario saw the server answer other than the API promises. */
final class SoakFailure extends Exception {

    SoakFailure(String message) {
        super(message);
    }
}
