package dev.agentstream.store;

/**
 * Storage could not do what was asked: the database failed or did not answer in time. Messages
 * name the run or the operation, never the stored content.
 */
public class StorageException extends RuntimeException {

    public StorageException(String message) {
        super(message);
    }

    public StorageException(String message, Throwable cause) {
        super(message, cause);
    }
}
