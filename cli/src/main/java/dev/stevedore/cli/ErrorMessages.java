package dev.stevedore.cli;

import dev.stevedore.content.AlreadyExistsException;
import dev.stevedore.content.ContentException;
import dev.stevedore.content.DigestMismatchException;
import dev.stevedore.content.InvalidDescriptorException;
import dev.stevedore.content.InvalidReferenceException;
import dev.stevedore.content.NotFoundException;
import dev.stevedore.content.SizeLimitExceededException;
import dev.stevedore.content.UnsupportedContentException;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import javax.net.ssl.SSLException;

/** Turns a failure into one or two plain sentences: what failed, and what to do. */
final class ErrorMessages {
  private ErrorMessages() {}

  /**
   * Whether a TLS failure is the registry asking for a client certificate: TLS 1.3's {@code
   * certificate_required} alert, or the {@code bad_certificate} / {@code handshake_failure} that
   * servers send for a missing one in TLS 1.2.
   */
  static boolean clientCertificateWanted(String tlsMessage) {
    return tlsMessage.contains("certificate_required") || tlsMessage.contains("bad_certificate");
  }

  static String describe(Throwable failure) {
    String message =
        failure.getMessage() == null
            ? "internal error ("
                + failure.getClass().getSimpleName()
                + "); run with --debug and report it"
            : failure.getMessage();
    var unknownHost = ContentException.find(failure, UnknownHostException.class);
    if (unknownHost.isPresent()) {
      return "Error: unknown host "
          + unknownHost.get().getMessage()
          + ". Check the registry name and your DNS.";
    }
    if (ContentException.is(failure, ConnectException.class)) {
      return "Error: "
          + message
          + ". Is the registry running and reachable? ("
          + rootMessage(failure)
          + ")";
    }
    if (ContentException.is(failure, SSLException.class) && plainHttpAnswer(rootMessage(failure))) {
      return "Error: the registry answers plain HTTP, not HTTPS, on this port. Add --plain-http"
          + " (and drop --tls, --ca-file, --insecure for it).";
    }
    if (ContentException.is(failure, SSLException.class)
        && clientCertificateWanted(rootMessage(failure))) {
      return "Error: TLS failed: the registry requires a client certificate ("
          + rootMessage(failure)
          + "). Give yours with --cert-file and --key-file (PEM), or check that the registry"
          + " trusts the CA that signed it.";
    }
    if (ContentException.is(failure, SSLException.class)) {
      return "Error: TLS failed: "
          + rootMessage(failure)
          + ". Trust the registry's CA with --ca-file, use --plain-http for an HTTP registry, or --insecure to skip verification.";
    }
    var pages =
        ContentException.find(
            failure, dev.stevedore.content.remote.PageLimitExceededException.class);
    if (pages.isPresent()) {
      String m = String.valueOf(pages.get().getMessage());
      int limit = m.indexOf(", the limit");
      return "Error: "
          + (limit > 0 ? m.substring(0, limit) : m)
          + ", the --max-list-pages limit. Raise --max-list-pages, or continue after the last"
          + " entry received (repo tags --last TAG).";
    }
    var denied = ContentException.find(failure, AccessDeniedException.class);
    if (denied.isPresent()) {
      return "Error: permission denied: "
          + path(denied.get())
          + ". Check the file's permissions and owner.";
    }
    var fileSystem = ContentException.find(failure, FileSystemException.class);
    if (fileSystem.isPresent()
        && fileSystem.get().getReason() != null
        && (fileSystem.get().getReason().contains("Operation not permitted")
            || fileSystem.get().getReason().contains("Permission denied"))) {
      return "Error: permission denied: "
          + path(fileSystem.get())
          + " ("
          + fileSystem.get().getReason()
          + ").";
    }
    var missing = ContentException.find(failure, NoSuchFileException.class);
    if (missing.isPresent() && !(failure instanceof ContentException)) {
      NoSuchFileException e = missing.get();
      return "Error: no such file: "
          + e.getFile()
          + (e.getReason() == null ? "" : " (" + e.getReason() + ")");
    }
    var auth =
        ContentException.find(failure, dev.stevedore.content.remote.AuthenticationException.class);
    if (auth.isPresent()) {
      String m = String.valueOf(auth.get().getMessage());
      int detail = m.indexOf(" (");
      return "Error: " + (detail > 0 ? m.substring(0, detail) : m) + ".";
    }
    var response =
        ContentException.find(
            failure, dev.stevedore.content.remote.RegistryResponseException.class);
    if (response.isPresent() && !ContentException.is(failure, NotFoundException.class)) {
      var r = response.get();
      if (r.statusCode() == 400 && r.errorCodes().isEmpty() && "http".equals(r.url().getScheme())) {
        // A TLS port that gets plain HTTP answers a bare 400 ("Client sent an HTTP request to an
        // HTTPS server"); a registry's own 400s carry distribution error codes.
        return "Error: "
            + r.getMessage()
            + ". The registry seems to speak HTTPS on this port: add --tls, with"
            + " --ca-file PEM to trust its certificate (or --insecure to skip verification).";
      }
      return "Error: " + r.getMessage();
    }
    if (ContentException.is(failure, DigestMismatchException.class)) {
      return "Error: "
          + message
          + " The source is corrupt or changed while being read; nothing partial was kept.";
    }
    if (ContentException.is(failure, NotFoundException.class)) {
      return "Error: " + message;
    }
    if (failure instanceof InvalidReferenceException
        || failure instanceof InvalidDescriptorException
        || failure instanceof SizeLimitExceededException
        || failure instanceof UnsupportedContentException
        || failure instanceof AlreadyExistsException) {
      return "Error: " + message;
    }
    if (failure instanceof IllegalArgumentException) {
      return "Error: " + message;
    }
    return "Error: " + message;
  }

  /** What a TLS handshake meets when the server answers in plain HTTP. */
  private static boolean plainHttpAnswer(String message) {
    return message.contains("not an SSL/TLS record")
        || message.contains("Unsupported or unrecognized SSL message")
        || message.contains("plaintext connection");
  }

  private static String path(FileSystemException e) {
    return e.getOtherFile() == null
        ? String.valueOf(e.getFile())
        : e.getFile() + " -> " + e.getOtherFile();
  }

  private static String rootMessage(Throwable failure) {
    Throwable t = failure;
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
  }
}
