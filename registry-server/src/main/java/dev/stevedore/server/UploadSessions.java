package dev.stevedore.server;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;

/**
 * Upload sessions: each a temporary file in the server's upload directory that chunks are appended
 * to, until the client finishes (the file is then pushed to the store, which verifies it) or
 * cancels, or the session is left idle longer than the expiry and removed.
 */
final class UploadSessions {
  private static final System.Logger LOG = System.getLogger(UploadSessions.class.getName());

  private final Path directory;
  private final Duration expiry;
  private final Clock clock;
  private final ConcurrentMap<String, Session> sessions = new ConcurrentHashMap<>();

  /** One upload. Callers hold {@link #lock} while they use it. */
  static final class Session {
    final String id;
    final String repository;
    final Path file;
    final ReentrantLock lock = new ReentrantLock();
    long offset;
    Instant lastUsed;
    boolean gone;

    Session(String id, String repository, Path file, Instant now) {
      this.id = id;
      this.repository = repository;
      this.file = file;
      this.lastUsed = now;
    }
  }

  UploadSessions(Path directory, Duration expiry, Clock clock) {
    this.directory = directory;
    this.expiry = expiry;
    this.clock = clock;
  }

  Path directory() {
    return directory;
  }

  Session start(String repository) throws IOException {
    String id = UUID.randomUUID().toString();
    Path file = Files.createFile(directory.resolve(id + ".upload"));
    Session session = new Session(id, repository, file, clock.instant());
    sessions.put(id, session);
    return session;
  }

  /**
   * The session, locked by the caller's thread; null when unknown, finished or of another
   * repository.
   */
  @Nullable Session acquire(String repository, String id) {
    Session session = sessions.get(id);
    if (session == null || !session.repository.equals(repository)) {
      return null;
    }
    session.lock.lock();
    if (session.gone) {
      session.lock.unlock();
      return null;
    }
    touch(session);
    return session;
  }

  /**
   * Marks a session used now. Called before its response is sent (not after), so a client that has
   * its answer never races the bookkeeping of the request it sent.
   */
  void touch(Session session) {
    session.lastUsed = clock.instant();
  }

  /** Unlocks a session after use. */
  void release(Session session) {
    if (session.gone) {
      deleteQuietly(session.file);
    }
    session.lock.unlock();
  }

  /** Ends a session (finished, cancelled or failed): its file goes. Caller holds its lock. */
  void end(Session session) {
    session.gone = true;
    sessions.remove(session.id, session);
    deleteQuietly(session.file);
    session.lock.unlock();
  }

  /** Removes sessions idle longer than the expiry; a session in use is left alone. */
  int expire() {
    Instant cutoff = clock.instant().minus(expiry);
    int removed = 0;
    for (Session session : List.copyOf(sessions.values())) {
      if (session.lastUsed.isBefore(cutoff) && session.lock.tryLock()) {
        if (!session.gone && session.lastUsed.isBefore(cutoff)) {
          LOG.log(
              System.Logger.Level.DEBUG,
              () ->
                  "upload "
                      + session.id
                      + " to "
                      + session.repository
                      + " expired after "
                      + expiry
                      + " idle; its "
                      + session.offset
                      + " bytes are dropped");
          end(session);
          removed++;
        } else {
          session.lock.unlock();
        }
      }
    }
    return removed;
  }

  /** Removes every session (the server is stopping); sessions in use go when their request ends. */
  void closeAll() {
    List<Session> all = new ArrayList<>(sessions.values());
    for (Session session : all) {
      session.gone = true;
      sessions.remove(session.id, session);
      if (session.lock.tryLock()) {
        deleteQuietly(session.file);
        session.lock.unlock();
      }
    }
  }

  int size() {
    return sessions.size();
  }

  static void deleteQuietly(Path file) {
    try {
      Files.deleteIfExists(file);
    } catch (IOException e) {
      LOG.log(System.Logger.Level.WARNING, () -> "cannot delete " + file + ": " + e.getMessage());
    }
  }
}
