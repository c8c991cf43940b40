package dev.stevedore.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;

/**
 * A token server for the registry's {@code auth.token} configuration, as a test fixture: it checks
 * Basic credentials (or an OAuth2 password or refresh-token form), grants the requested scopes that
 * each user is allowed, and signs a JWT (RS256, certificate in the {@code x5c} header) that the
 * registry verifies offline against {@link #certificate()}. Counts token requests.
 *
 * <p>The signing key and its self-signed certificate are made with the JDK's {@code keytool}.
 */
public final class TokenServer implements AutoCloseable {
  /** A user of the token server. */
  public record User(String password, Map<String, Set<String>> grants) {
    /** Copies the grants. */
    public User {
      grants = Map.copyOf(grants);
    }
  }

  private final HttpServer server;
  private final String service;
  private final String issuer;
  private final PrivateKey key;
  private final X509Certificate certificate;
  private final Path certificateFile;
  private final Map<String, User> users = new ConcurrentHashMap<>();
  private final Map<String, String> refreshTokens = new ConcurrentHashMap<>();
  private final AtomicInteger requests = new AtomicInteger();
  private final AtomicInteger failures = new AtomicInteger();
  private volatile int failureStatus;
  private final List<String> scopesRequested =
      java.util.Collections.synchronizedList(new ArrayList<>());

  private TokenServer(
      HttpServer server,
      String service,
      String issuer,
      PrivateKey key,
      X509Certificate certificate,
      Path certificateFile) {
    this.server = server;
    this.service = service;
    this.issuer = issuer;
    this.key = key;
    this.certificate = certificate;
    this.certificateFile = certificateFile;
    server.createContext("/token", this::handle);
    server.start();
  }

  /**
   * Starts a token server on a free loopback port, with a fresh key.
   *
   * @param dir a directory for the key store and the certificate file
   * @param service the service name (the registry's {@code auth.token.service}, the token's
   *     audience)
   * @param issuer the issuer (the registry's {@code auth.token.issuer})
   * @return the running server
   * @throws IOException if the key cannot be made or the port bound
   */
  public static TokenServer start(Path dir, String service, String issuer) throws IOException {
    Files.createDirectories(dir);
    Path keystore = dir.resolve("token-signer.p12");
    Path pem = dir.resolve("token-signer.pem");
    String password = "stevedore";
    run(
        List.of(
            keytool(),
            "-genkeypair",
            "-alias",
            "signer",
            "-keyalg",
            "RSA",
            "-keysize",
            "2048",
            "-dname",
            "CN=stevedore-test-token-signer",
            "-validity",
            "2",
            "-storetype",
            "PKCS12",
            "-keystore",
            keystore.toString(),
            "-storepass",
            password,
            "-keypass",
            password));
    run(
        List.of(
            keytool(),
            "-exportcert",
            "-rfc",
            "-alias",
            "signer",
            "-keystore",
            keystore.toString(),
            "-storepass",
            password,
            "-file",
            pem.toString()));
    try {
      KeyStore ks = KeyStore.getInstance("PKCS12");
      try (InputStream in = Files.newInputStream(keystore)) {
        ks.load(in, password.toCharArray());
      }
      PrivateKey key = (PrivateKey) ks.getKey("signer", password.toCharArray());
      X509Certificate cert = (X509Certificate) ks.getCertificate("signer");
      HttpServer server =
          HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
      return new TokenServer(server, service, issuer, key, cert, pem);
    } catch (java.security.GeneralSecurityException e) {
      throw new IOException("cannot load the token signing key", e);
    }
  }

  /**
   * Adds a user.
   *
   * @param name the user name
   * @param password the password
   * @param grants repository name (or {@code *}) → actions the user may get, e.g. {@code pull},
   *     {@code push}
   * @return this server
   */
  public TokenServer user(String name, String password, Map<String, Set<String>> grants) {
    users.put(name, new User(password, grants));
    return this;
  }

  /**
   * Gives a refresh (identity) token to a user, for the OAuth2 refresh grant.
   *
   * @param token the token
   * @param user the user it stands for
   * @return this server
   */
  public TokenServer refreshToken(String token, String user) {
    refreshTokens.put(token, user);
    return this;
  }

  /**
   * Answers the next {@code times} token requests with an error status instead of a token (a 403 of
   * a token server that refuses, a 503 of one that is down), with a distribution-style error body.
   *
   * @param status the status, e.g. 403 or 503
   * @param times how many requests
   * @return this server
   */
  public TokenServer failNext(int status, int times) {
    failureStatus = status;
    failures.set(times);
    return this;
  }

  /**
   * Returns the token endpoint, the registry's {@code auth.token.realm}.
   *
   * @return the token endpoint, the registry's {@code auth.token.realm}
   */
  public String realm() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/token";
  }

  /**
   * Returns the service name.
   *
   * @return the service name
   */
  public String service() {
    return service;
  }

  /**
   * Returns the issuer.
   *
   * @return the issuer
   */
  public String issuer() {
    return issuer;
  }

  /**
   * Returns the PEM file of the signing certificate, the registry's {@code
   * auth.token.rootcertbundle}.
   *
   * @return the PEM file of the signing certificate, the registry's {@code
   *     auth.token.rootcertbundle}
   */
  public Path certificate() {
    return certificateFile;
  }

  /**
   * Returns the number of token requests served so far (granted or not).
   *
   * @return token requests served so far (granted or not)
   */
  public int requests() {
    return requests.get();
  }

  /**
   * Returns the scope parameters of every request, in order.
   *
   * @return the scope parameters of every request, in order
   */
  public List<String> scopesRequested() {
    synchronized (scopesRequested) {
      return List.copyOf(scopesRequested);
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }

  private void handle(HttpExchange exchange) throws IOException {
    requests.incrementAndGet();
    try (exchange) {
      if (failures.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
        send(
            exchange,
            failureStatus,
            "{\"errors\":[{\"code\":\"INJECTED\",\"message\":\"token server answers "
                + failureStatus
                + " as the test asked\"}]}");
        return;
      }
      Map<String, List<String>> params = new LinkedHashMap<>();
      parseQuery(exchange.getRequestURI().getRawQuery(), params);
      @Nullable String user = null;
      if ("POST".equals(exchange.getRequestMethod())) {
        parseQuery(
            new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8), params);
        String grant = first(params, "grant_type");
        if ("password".equals(grant)) {
          user = authenticate(first(params, "username"), first(params, "password"));
        } else if ("refresh_token".equals(grant)) {
          user = refreshTokens.get(String.valueOf(first(params, "refresh_token")));
        }
        if (user == null) {
          send(exchange, 401, "{\"error\":\"invalid_grant\"}");
          return;
        }
      } else {
        String authorization = exchange.getRequestHeaders().getFirst("Authorization");
        if (authorization != null && authorization.startsWith("Basic ")) {
          String pair =
              new String(
                  Base64.getDecoder().decode(authorization.substring(6)), StandardCharsets.UTF_8);
          int colon = pair.indexOf(':');
          user =
              colon < 0 ? null : authenticate(pair.substring(0, colon), pair.substring(colon + 1));
          if (user == null) {
            send(exchange, 401, "{\"details\":\"invalid credentials\"}");
            return;
          }
        }
      }
      List<String> scopes = new ArrayList<>();
      for (String scope : params.getOrDefault("scope", List.of())) {
        for (String one : scope.split(" ", -1)) {
          if (!one.isEmpty()) {
            scopes.add(one);
          }
        }
      }
      scopesRequested.add(String.join(" ", scopes));
      String token = sign(user, scopes);
      String body =
          "{\"token\":\""
              + token
              + "\",\"access_token\":\""
              + token
              + "\",\"expires_in\":300,"
              + "\"issued_at\":\""
              + Instant.now()
              + "\""
              + ("POST".equals(exchange.getRequestMethod())
                  ? ",\"refresh_token\":\"" + UUID.randomUUID() + "\""
                  : "")
              + "}";
      send(exchange, 200, body);
    }
  }

  private @Nullable String authenticate(@Nullable String name, @Nullable String password) {
    if (name == null || password == null) {
      return null;
    }
    User u = users.get(name);
    return u != null && u.password().equals(password) ? name : null;
  }

  private String sign(@Nullable String user, List<String> scopes) {
    StringBuilder access = new StringBuilder("[");
    for (String scope : scopes) {
      String[] parts = scope.split(":", -1);
      if (parts.length < 3 || parts[parts.length - 1].isEmpty()) {
        continue;
      }
      String type = parts[0];
      String name = scope.substring(type.length() + 1, scope.lastIndexOf(':'));
      List<String> granted = new ArrayList<>();
      for (String action : parts[parts.length - 1].split(",", -1)) {
        if (allowed(user, type, name, action)) {
          granted.add(action);
        }
      }
      if (access.length() > 1) {
        access.append(',');
      }
      access
          .append("{\"type\":\"")
          .append(type)
          .append("\",\"name\":\"")
          .append(name)
          .append("\",\"actions\":[");
      for (int i = 0; i < granted.size(); i++) {
        access.append(i == 0 ? "" : ",").append('"').append(granted.get(i)).append('"');
      }
      access.append("]}");
    }
    access.append(']');
    long now = Instant.now().getEpochSecond();
    try {
      String header =
          "{\"typ\":\"JWT\",\"alg\":\"RS256\",\"x5c\":[\""
              + Base64.getEncoder().encodeToString(certificate.getEncoded())
              + "\"]}";
      String claims =
          "{\"iss\":\""
              + issuer
              + "\",\"sub\":\""
              + (user == null ? "" : user)
              + "\",\"aud\":\""
              + service
              + "\",\"exp\":"
              + (now + 300)
              + ",\"nbf\":"
              + (now - 10)
              + ",\"iat\":"
              + now
              + ",\"jti\":\""
              + UUID.randomUUID()
              + "\",\"access\":"
              + access
              + "}";
      Base64.Encoder url = Base64.getUrlEncoder().withoutPadding();
      String signingInput =
          url.encodeToString(header.getBytes(StandardCharsets.UTF_8))
              + "."
              + url.encodeToString(claims.getBytes(StandardCharsets.UTF_8));
      Signature signature = Signature.getInstance("SHA256withRSA");
      signature.initSign(key);
      signature.update(signingInput.getBytes(StandardCharsets.US_ASCII));
      return signingInput + "." + url.encodeToString(signature.sign());
    } catch (java.security.GeneralSecurityException e) {
      throw new IllegalStateException("cannot sign a token", e);
    }
  }

  private boolean allowed(@Nullable String user, String type, String name, String action) {
    if (user == null) {
      return false;
    }
    User u = users.get(user);
    if (u == null) {
      return false;
    }
    if ("registry".equals(type)) {
      return u.grants().getOrDefault("registry:" + name, Set.of()).contains(action);
    }
    return u.grants().getOrDefault(name, Set.of()).contains(action)
        || u.grants().getOrDefault("*", Set.of()).contains(action);
  }

  private static void send(HttpExchange exchange, int status, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  private static void parseQuery(@Nullable String query, Map<String, List<String>> into) {
    if (query == null || query.isEmpty()) {
      return;
    }
    for (String pair : query.split("&", -1)) {
      if (pair.isEmpty()) {
        continue;
      }
      int eq = pair.indexOf('=');
      String k = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
      String v = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
      into.computeIfAbsent(k, x -> new ArrayList<>()).add(v);
    }
  }

  private static @Nullable String first(Map<String, List<String>> params, String name) {
    List<String> values = params.get(name);
    return values == null || values.isEmpty() ? null : values.get(0);
  }

  private static String keytool() {
    Path javaHome = Path.of(System.getProperty("java.home"));
    Path tool = javaHome.resolve("bin").resolve("keytool");
    return Files.isExecutable(tool) ? tool.toString() : "keytool";
  }

  private static void run(List<String> command) throws IOException {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    try {
      if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
        throw new IOException(command.get(0) + " failed: " + output);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while running keytool", e);
    }
  }
}
