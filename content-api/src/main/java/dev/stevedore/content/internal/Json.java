package dev.stevedore.content.internal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.io.CharacterEscapes;
import com.fasterxml.jackson.core.io.SerializedString;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.stevedore.content.Digest;
import dev.stevedore.content.InvalidDescriptorException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Collections;
import java.util.Comparator;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * The one Jackson configuration of Stevedore: lenient reading (unknown fields ignored), compact
 * writing with Go's encoding/json escaping, so that the bytes Stevedore writes equal oras-go's.
 *
 * <p>Not API: exported only to Stevedore's own modules.
 */
public final class Json {

  /**
   * Orders strings by code point, which is the byte order of their UTF-8 form (Go's map-key order).
   */
  public static final Comparator<String> CODE_POINT_ORDER = Json::compareCodePoints;

  private static final SortedMap<String, String> EMPTY =
      Collections.unmodifiableSortedMap(new TreeMap<>(CODE_POINT_ORDER));

  private static final ObjectMapper MAPPER = newMapper();

  private Json() {}

  /**
   * The shared mapper. Do not reconfigure it.
   *
   * @return the mapper
   */
  public static ObjectMapper mapper() {
    return MAPPER;
  }

  /**
   * Serializes a value compactly with Go-compatible escaping.
   *
   * @param value the value
   * @return UTF-8 JSON
   */
  public static byte[] write(Object value) {
    try {
      return MAPPER.writeValueAsBytes(value);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException("cannot serialize " + value.getClass().getSimpleName(), e);
    }
  }

  /**
   * Parses JSON into a type, turning every Jackson failure into an {@link
   * InvalidDescriptorException} with a message that says what was being read.
   *
   * @param json the bytes
   * @param type the target type
   * @param what what the bytes are supposed to be, e.g. "manifest", for the message
   * @param <T> the type
   * @return the value
   * @throws InvalidDescriptorException if the bytes are not valid JSON of that shape
   */
  public static <T> T read(byte[] json, Class<T> type, String what)
      throws InvalidDescriptorException {
    try {
      T value = MAPPER.readValue(json, type);
      if (value == null) {
        throw new InvalidDescriptorException("malformed " + what + ": JSON null");
      }
      return value;
    } catch (IOException e) {
      throw new InvalidDescriptorException("malformed " + what + ": " + describe(e), e);
    }
  }

  /**
   * Parses JSON into a tree.
   *
   * @param json the bytes
   * @param what what the bytes are supposed to be, for the message
   * @return the tree
   * @throws InvalidDescriptorException if the bytes are not valid JSON
   */
  public static JsonNode tree(byte[] json, String what) throws InvalidDescriptorException {
    try {
      JsonNode node = MAPPER.readTree(json);
      if (node == null || node.isMissingNode()) {
        throw new InvalidDescriptorException("malformed " + what + ": empty document");
      }
      return node;
    } catch (IOException e) {
      throw new InvalidDescriptorException("malformed " + what + ": " + describe(e), e);
    }
  }

  /**
   * The digest a manifest's {@code subject} names, for stores that index referrers without
   * depending on Jackson themselves.
   *
   * @param json the manifest bytes
   * @param what what the bytes are supposed to be, for the message
   * @return the subject's digest, or null when there is no subject or its digest is not a valid one
   * @throws InvalidDescriptorException if the bytes are not valid JSON
   */
  public static @Nullable Digest subjectDigest(byte[] json, String what)
      throws InvalidDescriptorException {
    JsonNode subject = tree(json, what).path("subject").path("digest");
    return subject.isTextual() ? Digest.tryParse(subject.asText()).orElse(null) : null;
  }

  /**
   * An unmodifiable copy of a string map, sorted by code point.
   *
   * @param map the map, may be null
   * @return the sorted copy (empty for null)
   * @throws IllegalArgumentException if a key or value is null
   */
  public static SortedMap<String, String> sortedCopy(@Nullable Map<String, String> map) {
    if (map == null || map.isEmpty()) {
      return EMPTY;
    }
    TreeMap<String, String> sorted = new TreeMap<>(CODE_POINT_ORDER);
    for (Map.Entry<String, String> e : map.entrySet()) {
      if (e.getKey() == null || e.getValue() == null) {
        throw new IllegalArgumentException(
            "annotation keys and values must not be null: " + e.getKey());
      }
      sorted.put(e.getKey(), e.getValue());
    }
    return Collections.unmodifiableSortedMap(sorted);
  }

  private static String describe(IOException e) {
    Throwable t = e;
    if (e instanceof ValueInstantiationException vie && vie.getCause() != null) {
      t = vie.getCause();
      return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    }
    if (e instanceof JsonProcessingException jpe) {
      String location =
          jpe.getLocation() == null
              ? ""
              : " (line "
                  + jpe.getLocation().getLineNr()
                  + ", column "
                  + jpe.getLocation().getColumnNr()
                  + ")";
      String message = jpe.getOriginalMessage();
      int newline = message == null ? -1 : message.indexOf('\n');
      return (newline > 0 ? message.substring(0, newline) : message) + location;
    }
    return String.valueOf(t.getMessage());
  }

  private static int compareCodePoints(String a, String b) {
    int i = 0;
    int j = 0;
    while (i < a.length() && j < b.length()) {
      int ca = a.codePointAt(i);
      int cb = b.codePointAt(j);
      if (ca != cb) {
        return Integer.compare(ca, cb);
      }
      i += Character.charCount(ca);
      j += Character.charCount(cb);
    }
    return Integer.compare(a.length() - i, b.length() - j);
  }

  private static ObjectMapper newMapper() {
    JsonFactory factory =
        JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(64).build())
            .build();
    factory.setCharacterEscapes(new GoEscapes());
    return JsonMapper.builder(factory)
        .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
        .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
        .disable(com.fasterxml.jackson.databind.SerializationFeature.FAIL_ON_EMPTY_BEANS)
        .configure(JsonGenerator.Feature.WRITE_BIGDECIMAL_AS_PLAIN, true)
        .build();
  }

  /**
   * Go's encoding/json escapes {@code <}, {@code >}, {@code &}, U+2028 and U+2029 as \\u sequences.
   */
  private static final class GoEscapes extends CharacterEscapes {
    private static final long serialVersionUID = 1L;
    private final int[] table;

    GoEscapes() {
      table = CharacterEscapes.standardAsciiEscapesForJSON();
      table['<'] = CharacterEscapes.ESCAPE_CUSTOM;
      table['>'] = CharacterEscapes.ESCAPE_CUSTOM;
      table['&'] = CharacterEscapes.ESCAPE_CUSTOM;
    }

    @Override
    public int[] getEscapeCodesForAscii() {
      return table;
    }

    @Override
    public @Nullable SerializableString getEscapeSequence(int ch) {
      return switch (ch) {
        case '<' -> new SerializedString("\\u003c");
        case '>' -> new SerializedString("\\u003e");
        case '&' -> new SerializedString("\\u0026");
        case 0x2028 -> new SerializedString("\\u2028");
        case 0x2029 -> new SerializedString("\\u2029");
        default -> null;
      };
    }
  }
}
