package dev.stevedore.server;

/** The distribution-spec error codes, each with the status it is answered with by default. */
enum ErrorCode {
  BLOB_UNKNOWN(404),
  BLOB_UPLOAD_INVALID(400),
  BLOB_UPLOAD_UNKNOWN(404),
  DIGEST_INVALID(400),
  MANIFEST_BLOB_UNKNOWN(404),
  MANIFEST_INVALID(400),
  MANIFEST_UNKNOWN(404),
  NAME_INVALID(400),
  NAME_UNKNOWN(404),
  SIZE_INVALID(400),
  UNAUTHORIZED(401),
  DENIED(403),
  UNSUPPORTED(405),
  TOOMANYREQUESTS(429),
  /** Not a spec code: a failure of the server or its store (distribution answers the same). */
  UNKNOWN(500),
  /** Not a spec code: a Range header beyond the content (answered 416). */
  RANGE_INVALID(416);

  private final int status;

  ErrorCode(int status) {
    this.status = status;
  }

  int status() {
    return status;
  }
}
