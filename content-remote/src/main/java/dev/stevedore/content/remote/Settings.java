package dev.stevedore.content.remote;

import dev.stevedore.content.Contents;
import dev.stevedore.content.MediaTypes;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.PoolOptions;
import dev.stevedore.content.remote.credentials.CredentialProvider;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.function.UnaryOperator;
import org.jspecify.annotations.Nullable;

/**
 * Everything a builder collects, immutable. Shared by {@link Registry} and {@link Repository}.
 */
record Settings(
    String registry,
    boolean plainHttp,
    @Nullable Vertx vertx,
    HttpClientOptions httpClientOptions,
    PoolOptions poolOptions,
    String userAgent,
    List<String> manifestMediaTypes,
    int tagListPageSize,
    int referrerListPageSize,
    int repositoryListPageSize,
    long maxMetadataBytes,
    boolean referrersGc,
    long chunkedUploadThreshold,
    int uploadChunkSize,
    Duration idleTimeout,
    CredentialProvider credentials,
    RetryPolicy retryPolicy,
    boolean forceOAuth2,
    List<Path> trustedCertificates,
    boolean insecure,
    UnaryOperator<HttpTransport> transportLayers) {

  static final String DEFAULT_USER_AGENT = "stevedore/0.1";
  static final List<String> DEFAULT_MANIFEST_MEDIA_TYPES = List.of(
      MediaTypes.DOCKER_MANIFEST, MediaTypes.DOCKER_MANIFEST_LIST, MediaTypes.OCI_MANIFEST, MediaTypes.OCI_INDEX,
      MediaTypes.OCI_ARTIFACT_MANIFEST);
  static final long DEFAULT_CHUNKED_UPLOAD_THRESHOLD = 1024L * 1024 * 1024;
  static final int DEFAULT_UPLOAD_CHUNK_SIZE = 8 * 1024 * 1024;

  Settings {
    Objects.requireNonNull(registry, "registry");
    httpClientOptions = new HttpClientOptions(httpClientOptions);
    poolOptions = new PoolOptions(poolOptions);
    manifestMediaTypes = List.copyOf(manifestMediaTypes);
    Objects.requireNonNull(credentials, "credentials");
    Objects.requireNonNull(retryPolicy, "retryPolicy");
    trustedCertificates = List.copyOf(trustedCertificates);
  }

  static Settings defaults(String registry) {
    return new Settings(registry, false, null, new HttpClientOptions(),
        new PoolOptions().setHttp1MaxSize(16), DEFAULT_USER_AGENT, DEFAULT_MANIFEST_MEDIA_TYPES, 0, 0, 0,
        Contents.DEFAULT_MAX_METADATA_BYTES, true, DEFAULT_CHUNKED_UPLOAD_THRESHOLD, DEFAULT_UPLOAD_CHUNK_SIZE,
        Duration.ofSeconds(60), CredentialProvider.ANONYMOUS, RetryPolicy.defaults(), false, List.of(), false,
        UnaryOperator.identity());
  }

  Settings with(java.util.function.Function<Mutable, Mutable> change) {
    return change.apply(new Mutable(this)).build();
  }

  /** The builders' scratch pad. */
  static final class Mutable {
    String registry;
    boolean plainHttp;
    @Nullable Vertx vertx;
    HttpClientOptions httpClientOptions;
    PoolOptions poolOptions;
    String userAgent;
    List<String> manifestMediaTypes;
    int tagListPageSize;
    int referrerListPageSize;
    int repositoryListPageSize;
    long maxMetadataBytes;
    boolean referrersGc;
    long chunkedUploadThreshold;
    int uploadChunkSize;
    Duration idleTimeout;
    CredentialProvider credentials;
    RetryPolicy retryPolicy;
    boolean forceOAuth2;
    List<Path> trustedCertificates;
    boolean insecure;
    UnaryOperator<HttpTransport> transportLayers;

    Mutable(Settings s) {
      registry = s.registry;
      plainHttp = s.plainHttp;
      vertx = s.vertx;
      httpClientOptions = s.httpClientOptions;
      poolOptions = s.poolOptions;
      userAgent = s.userAgent;
      manifestMediaTypes = s.manifestMediaTypes;
      tagListPageSize = s.tagListPageSize;
      referrerListPageSize = s.referrerListPageSize;
      repositoryListPageSize = s.repositoryListPageSize;
      maxMetadataBytes = s.maxMetadataBytes;
      referrersGc = s.referrersGc;
      chunkedUploadThreshold = s.chunkedUploadThreshold;
      uploadChunkSize = s.uploadChunkSize;
      idleTimeout = s.idleTimeout;
      credentials = s.credentials;
      retryPolicy = s.retryPolicy;
      forceOAuth2 = s.forceOAuth2;
      trustedCertificates = s.trustedCertificates;
      insecure = s.insecure;
      transportLayers = s.transportLayers;
    }

    Settings build() {
      return new Settings(registry, plainHttp, vertx, httpClientOptions, poolOptions, userAgent, manifestMediaTypes,
          tagListPageSize, referrerListPageSize, repositoryListPageSize, maxMetadataBytes, referrersGc,
          chunkedUploadThreshold, uploadChunkSize, idleTimeout, credentials, retryPolicy, forceOAuth2,
          trustedCertificates, insecure, transportLayers);
    }
  }
}
