package dev.stevedore.cli;

/** A usage error found while a command runs (bad flag value, conflicting flags): exit code 2. */
final class UsageException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  UsageException(String message) {
    super(message);
  }
}
