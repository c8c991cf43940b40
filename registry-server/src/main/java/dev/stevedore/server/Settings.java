package dev.stevedore.server;

import java.time.Clock;
import java.time.Duration;

/**
 * The server's behaviour options, fixed when it starts.
 *
 * @param readOnly refuse every write
 * @param deletes allow DELETE of manifests, tags and blobs
 * @param checkManifestBlobs refuse a manifest whose blobs or child manifests are missing
 * @param maxManifestBytes the largest manifest accepted
 * @param referrersPageSize the most referrers in one response (more are paged with Link)
 * @param uploadExpiry how long an upload session may stay idle
 * @param bodyIdleTimeout how long a client may send nothing in the middle of a body
 * @param clock the clock of session expiry
 */
record Settings(
    boolean readOnly,
    boolean deletes,
    boolean checkManifestBlobs,
    long maxManifestBytes,
    int referrersPageSize,
    Duration uploadExpiry,
    Duration bodyIdleTimeout,
    Clock clock) {}
